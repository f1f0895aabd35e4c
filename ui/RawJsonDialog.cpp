#include "RawJsonDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>
#include <QVBoxLayout>

namespace parley {

RawJsonDialog::RawJsonDialog(const QString &what, const QByteArray &raw, QWidget *parent)
    : QDialog(parent)
    , m_text(new QPlainTextEdit(this))
    , m_find(new QLineEdit(this))
    , m_findStatus(new QLabel(this))
{
    setObjectName(QStringLiteral("rawJsonDialog"));
    setWindowTitle(tr("Raw JSON — %1").arg(what));
    resize(640, 520);

    m_text->setObjectName(QStringLiteral("rawJsonText"));
    m_text->setAccessibleName(tr("Raw JSON"));
    m_text->setReadOnly(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setPlainText(prettyJson(raw));

    m_find->setObjectName(QStringLiteral("rawJsonFind"));
    m_find->setPlaceholderText(tr("Find"));
    m_find->setAccessibleName(tr("Find in the raw JSON"));
    m_find->setClearButtonEnabled(true);
    m_find->installEventFilter(this);
    m_findStatus->setObjectName(QStringLiteral("rawJsonFindStatus"));
    connect(m_find, &QLineEdit::textChanged, this, [this] {
        QTextCursor start = m_text->textCursor();
        start.movePosition(QTextCursor::Start);
        m_text->setTextCursor(start);
        findNext();
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *findRow = new QHBoxLayout;
    findRow->addWidget(m_find, 1);
    findRow->addWidget(m_findStatus);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(findRow);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    m_find->setFocus();
}

QString RawJsonDialog::prettyJson(const QByteArray &raw)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return QString::fromUtf8(raw);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

bool RawJsonDialog::findNext(bool backwards)
{
    const QString needle = m_find->text();
    if (needle.isEmpty()) {
        m_findStatus->clear();
        return false;
    }
    const QTextDocument::FindFlags flags =
        backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    bool found = m_text->find(needle, flags);
    if (!found) { // wrap around
        QTextCursor from = m_text->textCursor();
        from.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
        m_text->setTextCursor(from);
        found = m_text->find(needle, flags);
    }
    m_findStatus->setText(found ? QString() : tr("Not found"));
    return found;
}

bool RawJsonDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_find && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            findNext(key->modifiers() & Qt::ShiftModifier);
            return true; // not the dialog's default button
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace parley
