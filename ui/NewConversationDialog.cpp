#include "NewConversationDialog.h"

#include "BusyIndicator.h"
#include "DialogFooter.h"
#include "FieldEditor.h"
#include "FieldLabels.h"
#include "SuggestionMenu.h"
#include "rules/InputRules.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace parley {

namespace {

const QString kTitle = QStringLiteral("title");
const QString kText = QString::fromUtf16(InputRules::kTextKey);

} // namespace

NewConversationDialog::NewConversationDialog(const Capabilities &capabilities,
                                             const QString &platformName, QWidget *parent)
    : QDialog(parent)
    , m_caps(capabilities)
    , m_platformName(platformName)
{
    build();
    revalidate();
}

void NewConversationDialog::build()
{
    setObjectName(QStringLiteral("newConversationDialog"));
    setWindowTitle(tr("New Conversation"));
    setModal(true);
    setMinimumWidth(520);

    auto *intro =
        makeHintLabel(this, m_platformName.isEmpty()
                                ? tr("The conversation is created on the platform.")
                                : tr("The conversation is created on %1 with the workspace's key.")
                                      .arg(m_platformName));
    intro->setObjectName(QStringLiteral("newConversationIntro"));

    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);

    if (m_caps.createHasTitle) {
        m_title = new QLineEdit(this);
        m_title->setObjectName(QStringLiteral("titleEdit"));
        m_title->setAccessibleName(tr("Title"));
        m_title->setPlaceholderText(tr("Shown in the conversation list"));
        m_form->addRow(tr("&Title (optional):"), m_title);
    }

    // Fields that exclude each other become one choice: a radio button per field, only the
    // chosen one's editor is enabled and sent.
    QSet<QString> placed;
    QHash<QString, int> indexOf;
    for (int i = 0; i < int(m_caps.createFields.size()); ++i)
        indexOf.insert(m_caps.createFields.at(i).key, i);
    for (const WorkspaceField &field : std::as_const(m_caps.createFields)) {
        if (placed.contains(field.key))
            continue;
        const int other =
            field.exclusiveWith.isEmpty() ? -1 : indexOf.value(field.exclusiveWith, -1);
        if (other < 0 || placed.contains(field.exclusiveWith)) {
            addField(field, nullptr);
            placed.insert(field.key);
            continue;
        }
        auto *group = new QButtonGroup(this);
        group->setObjectName(QStringLiteral("choice_") + field.key);
        const WorkspaceField &partner = m_caps.createFields.at(other);
        addField(field, group);
        addField(partner, group);
        placed.insert(field.key);
        placed.insert(partner.key);
        // The one with a default value starts chosen, else the first.
        const int first = int(m_fields.size()) - 2;
        const bool partnerFirst = field.defaultValue.isEmpty() && !partner.defaultValue.isEmpty();
        m_fields[partnerFirst ? first + 1 : first].choice->setChecked(true);
        connect(group, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool on) {
            if (on)
                revalidate();
        });
    }

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("messageEdit"));
    m_text->setAccessibleName(tr("First message"));
    m_text->setTabChangesFocus(true);
    m_text->installEventFilter(this);
    m_text->setPlaceholderText(
        m_caps.createNeedsText
            ? tr("The conversation starts with this message. Ctrl+Enter starts it.")
            : tr("Optional: the agent answers it right away. Ctrl+Enter starts it."));
    m_text->setMinimumHeight(QFontMetrics(m_text->font()).lineSpacing() * 4 + 12);
    m_textError = makeErrorLabel(this, QStringLiteral("messageError"));
    // A platform that takes no messages takes no first message either (orq.ai): no field.
    if (m_caps.createNeedsText || m_caps.can(Capabilities::Send)) {
        m_form->addRow(m_caps.createNeedsText ? tr("&Message:") : tr("&Message (optional):"),
                       withError(m_text, m_textError));
    } else {
        m_text->hide();
        m_textError->hide();
    }

    m_footer = new DialogFooter(this, QStringLiteral("start"), tr("&Start"));
    m_footer->error()->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(m_form);
    layout->addStretch(1);
    layout->addWidget(m_footer);

    if (m_title)
        connect(m_title, &QLineEdit::textEdited, this, [this] { onEdited(kTitle); });
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] { onEdited(kText); });
    // Start asks; the caller accepts the dialog once the platform created the conversation.
    connect(m_footer->accept(), &QPushButton::clicked, this, &NewConversationDialog::start);

    // Tab order follows the form.
    QWidget *previous = m_title;
    for (const FieldRow &row : std::as_const(m_fields)) {
        for (QWidget *w : {static_cast<QWidget *>(row.choice), row.editor}) {
            if (!w)
                continue;
            if (previous)
                setTabOrder(previous, w);
            previous = w;
        }
    }
    if (previous)
        setTabOrder(previous, m_text);
}

void NewConversationDialog::addField(const WorkspaceField &field, QButtonGroup *group)
{
    FieldRow row;
    row.field = field;
    const FieldEditor made = makeFieldEditor(this, field, field.defaultValue,
                                             [this, key = field.key] { onEdited(key); });
    row.editor = made.editor;
    row.error = made.error;
    QLabel *hint = field.hint.isEmpty() ? nullptr : makeHintLabel(this, field.hint);
    QWidget *box = withError(row.editor, row.error, hint);

    if (group) {
        row.choice = new QRadioButton(field.label + QLatin1Char(':'), this);
        row.choice->setObjectName(QStringLiteral("choose_") + field.key);
        row.choice->setToolTip(tr("Set %1 (and not the other)").arg(field.label));
        group->addButton(row.choice);
        m_form->addRow(row.choice, box);
    } else {
        m_form->addRow(makeFieldLabel(this, field, row.editor), box);
    }
    m_fields.append(row);
}

void NewConversationDialog::setSuggestions(const QList<FieldSuggestion> &suggestions)
{
    for (const FieldRow &row : std::as_const(m_fields)) {
        auto *line = qobject_cast<QLineEdit *>(row.editor);
        QList<FieldSuggestion> mine;
        for (const FieldSuggestion &s : suggestions) {
            if (s.field == row.field.key)
                mine.append(s);
        }
        if (!line || mine.isEmpty())
            continue;
        auto *menu = new SuggestionMenu(
            line, mine,
            tr("%1: choose one seen in the conversation list (Alt+Down)").arg(row.field.label));
        connect(menu, &SuggestionMenu::chosen, this, [this, row] {
            if (row.choice)
                row.choice->setChecked(true);
            onEdited(row.field.key);
        });
    }
}

bool NewConversationDialog::isChosen(const FieldRow &row) const
{
    return !row.choice || row.choice->isChecked();
}

QString NewConversationDialog::valueOf(const FieldRow &row) const
{
    return fieldEditorValue(row.editor);
}

NewConversation NewConversationDialog::request() const
{
    NewConversation r;
    if (m_title)
        r.title = m_title->text().trimmed();
    r.text = m_text->toPlainText().trimmed();
    for (const FieldRow &row : m_fields) {
        const QString value = valueOf(row);
        if (isChosen(row) && !value.isEmpty())
            r.params.insert(row.field.key, value);
    }
    return r;
}

QMap<QString, QString> NewConversationDialog::problems() const
{
    // Of two fields that exclude each other, the one chosen must be filled in.
    QStringList chosen;
    for (const FieldRow &row : m_fields) {
        if (row.choice && row.choice->isChecked())
            chosen << row.field.key;
    }
    return InputRules::checkNewConversation(m_caps, request(), chosen);
}

void NewConversationDialog::onEdited(const QString &key)
{
    m_touched.insert(key);
    m_footer->error()->hide();
    revalidate();
}

void NewConversationDialog::revalidate()
{
    const QMap<QString, QString> found = problems();
    // A field says what is wrong once it was typed in or holds a value; Start's tooltip
    // lists everything.
    for (const FieldRow &row : std::as_const(m_fields)) {
        const bool chosen = isChosen(row);
        row.editor->setEnabled(chosen && !m_busy);
        if (row.choice)
            row.choice->setEnabled(!m_busy);
        const bool speak = chosen && (m_touched.contains(row.field.key) || !valueOf(row).isEmpty());
        setFieldError(row.error, speak ? found.value(row.field.key) : QString());
    }
    const bool speakText = m_touched.contains(kText) || !m_text->toPlainText().trimmed().isEmpty();
    setFieldError(m_textError, speakText ? found.value(kText) : QString());

    m_footer->accept()->setEnabled(found.isEmpty() && !m_busy);
    m_footer->accept()->setToolTip(m_busy ? tr("Starting…")
                                          : found.values().join(QLatin1Char('\n')));
}

bool NewConversationDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & ~Qt::KeypadModifier) == Qt::ControlModifier) {
            if (m_footer->accept()->isEnabled())
                start();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void NewConversationDialog::start()
{
    if (m_busy)
        return;
    if (!problems().isEmpty()) {
        // Say everything now, touched or not.
        for (const FieldRow &row : std::as_const(m_fields))
            m_touched.insert(row.field.key);
        m_touched.insert(kText);
        revalidate();
        return;
    }
    m_footer->error()->hide();
    Q_EMIT startRequested(request());
}

void NewConversationDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_footer->spinner()->setRunning(busy);
    if (m_title)
        m_title->setEnabled(!busy);
    m_text->setReadOnly(busy);
    revalidate();
}

void NewConversationDialog::showError(const QString &text)
{
    setFieldError(m_footer->error(), text);
}

} // namespace parley
