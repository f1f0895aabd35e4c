#include "TranscriptView.h"

#include "BusyIndicator.h"
#include "ErrorBanner.h"
#include "Icons.h"
#include "RawJsonDialog.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace parley {

namespace {

enum Page
{
    PlaceholderPage,
    ListPage,
    NotePage
};

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QLabel *centeredLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setMargin(24);
    return label;
}

} // namespace

TranscriptView::TranscriptView(QWidget *parent)
    : QWidget(parent)
    , m_header(new QWidget(this))
    , m_title(new QLabel(m_header))
    , m_id(new QLineEdit(m_header))
    , m_copyId(new QToolButton(m_header))
    , m_properties(new QLabel(m_header))
    , m_detailsToggle(new QToolButton(m_header))
    , m_details(new QLabel(m_header))
    , m_busy(new BusyIndicator(m_header))
    , m_banner(new ErrorBanner(this))
    , m_stack(new QStackedWidget(this))
    , m_placeholder(centeredLabel(this, QStringLiteral("transcriptPlaceholder")))
    , m_list(new QListView(this))
    , m_note(centeredLabel(this, QStringLiteral("transcriptNote")))
    , m_showRaw(new QAction(tr("Show Raw JSON…"), this))
{
    setObjectName(QStringLiteral("transcriptView"));

    m_title->setObjectName(QStringLiteral("transcriptTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_id->setObjectName(QStringLiteral("transcriptId"));
    m_id->setAccessibleName(tr("Conversation ID"));
    m_id->setReadOnly(true);
    m_id->setFrame(false);
    m_id->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QPalette idPalette = m_id->palette();
    idPalette.setColor(QPalette::Base, Qt::transparent);
    m_id->setPalette(idPalette);

    m_copyId->setObjectName(QStringLiteral("copyIdButton"));
    m_copyId->setIcon(Icons::get(Icons::Copy));
    m_copyId->setToolTip(tr("Copy the conversation ID"));
    m_copyId->setAccessibleName(tr("Copy the conversation ID"));
    m_copyId->setAutoRaise(true);

    m_properties->setObjectName(QStringLiteral("transcriptProperties"));
    m_properties->setWordWrap(true);
    m_properties->setTextFormat(Qt::RichText);
    m_properties->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_detailsToggle->setObjectName(QStringLiteral("transcriptDetailsToggle"));
    m_detailsToggle->setAutoRaise(true);
    m_detailsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsToggle->setArrowType(Qt::RightArrow);
    m_detailsToggle->setAccessibleName(tr("Show the platform's details"));
    m_details->setObjectName(QStringLiteral("transcriptDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_details->hide();
    connect(m_detailsToggle, &QToolButton::clicked, this,
            [this] { setDetailsExpanded(m_details->isHidden()); });

    m_busy->setObjectName(QStringLiteral("transcriptBusy"));

    auto *titleRow = new QHBoxLayout;
    titleRow->setContentsMargins(0, 0, 0, 0);
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_busy, 0, Qt::AlignTop);
    auto *idRow = new QHBoxLayout;
    idRow->setContentsMargins(0, 0, 0, 0);
    idRow->setSpacing(2);
    idRow->addWidget(m_id, 1);
    idRow->addWidget(m_copyId);
    auto *headerLayout = new QVBoxLayout(m_header);
    headerLayout->setContentsMargins(4, 2, 4, 2);
    headerLayout->setSpacing(2);
    headerLayout->addLayout(titleRow);
    headerLayout->addLayout(idRow);
    headerLayout->addWidget(m_properties);
    headerLayout->addWidget(m_detailsToggle, 0, Qt::AlignLeft);
    headerLayout->addWidget(m_details);
    m_header->hide();

    m_banner->setObjectName(QStringLiteral("transcriptBanner"));

    m_list->setObjectName(QStringLiteral("transcriptList"));
    m_list->setAccessibleName(tr("Transcript"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always on: a scroll bar appearing would change the width and re-measure every row.
    m_list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setLayoutMode(QListView::Batched);
    m_list->setBatchSize(100); // rows measured per event loop turn: keeps the UI responsive
    m_list->setUniformItemSizes(false);
    m_list->setWordWrap(true);
    m_list->installEventFilter(this);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_list, &QListView::customContextMenuRequested, this, &TranscriptView::showContextMenu);

    m_showRaw->setObjectName(QStringLiteral("showRawJsonAction"));
    m_showRaw->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    m_showRaw->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_showRaw->setEnabled(false);
    addAction(m_showRaw);
    connect(m_showRaw, &QAction::triggered, this, &TranscriptView::showRawJson);

    m_placeholder->setText(tr("Select a conversation to read its transcript."));
    m_placeholder->setEnabled(false);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setAlignment(Qt::AlignLeft | Qt::AlignTop); // reads on from the header above
    m_note->setMargin(8);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_list);
    m_stack->addWidget(m_note);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_header);
    layout->addWidget(m_banner);
    layout->addWidget(m_stack, 1);

    connect(m_banner, &ErrorBanner::retryRequested, this, &TranscriptView::retryRequested);
    connect(m_copyId, &QToolButton::clicked, this, [this] {
        if (!m_id->text().isEmpty())
            QApplication::clipboard()->setText(m_id->text());
    });
}

void TranscriptView::setModel(QAbstractItemModel *turns, TranscriptDelegate::TurnAccessor accessor)
{
    m_model = turns;
    delete m_delegate;
    m_delegate = new TranscriptDelegate(m_list, accessor);
    m_list->setItemDelegate(m_delegate);
    m_turnAt = accessor;
    // setModel() gives the view a new selection model and leaves the old one to its parent,
    // the view: switching workspaces would pile them up for as long as the window lives.
    QItemSelectionModel *oldSelection = m_list->selectionModel();
    m_list->setModel(turns);
    if (oldSelection != m_list->selectionModel())
        delete oldSelection;
    updateRawAction();
    if (!turns)
        return;
    // Show Raw JSON follows the current turn. The delegate is the connections' context: it
    // goes with this model, so switching models does not pile them up.
    const auto follow = [this] { updateRawAction(); };
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, m_delegate, follow);
    connect(turns, &QAbstractItemModel::dataChanged, m_delegate, follow);
    connect(turns, &QAbstractItemModel::modelReset, m_delegate, follow);
    connect(turns, &QAbstractItemModel::modelAboutToBeReset, m_delegate,
            &TranscriptDelegate::reset);
    connect(turns, &QAbstractItemModel::dataChanged, m_delegate,
            [this](const QModelIndex &from, const QModelIndex &to) {
                for (int row = from.row(); row <= to.row(); ++row)
                    m_delegate->invalidateRow(row);
            });
    // Rows shifting under the cache (inserted or removed above the end) invalidate it.
    connect(turns, &QAbstractItemModel::rowsInserted, m_delegate,
            [this](const QModelIndex &, int first) {
                if (first < m_model->rowCount() - 1)
                    m_delegate->reset();
            });
    connect(turns, &QAbstractItemModel::rowsRemoved, m_delegate, &TranscriptDelegate::reset);
    connect(turns, &QAbstractItemModel::rowsMoved, m_delegate, &TranscriptDelegate::reset);
    connect(turns, &QAbstractItemModel::layoutChanged, m_delegate, &TranscriptDelegate::reset);
}

QString TranscriptView::conversationId() const
{
    return m_id->text();
}

void TranscriptView::showPlaceholder(const QString &text)
{
    m_header->hide();
    m_banner->clear();
    m_busy->stop();
    m_placeholder->setText(text.isEmpty() ? tr("Select a conversation to read its transcript.")
                                          : text);
    m_stack->setCurrentIndex(PlaceholderPage);
}

void TranscriptView::showLoading(const Conversation &summary)
{
    m_banner->clear();
    setHeader(summary, {});
    setBusy(true);
    m_list->scrollToTop();
    m_stack->setCurrentIndex(ListPage);
}

void TranscriptView::showDetail(const ConversationDetail &detail)
{
    setBusy(false);
    m_banner->clear();
    setHeader(detail.summary, detail.properties);
    showTurnsOrNote(detail.hasTranscript, detail.transcriptNote);
}

void TranscriptView::showTurns()
{
    if (m_stack->currentIndex() == NotePage && m_model && m_model->rowCount() > 0)
        m_stack->setCurrentIndex(ListPage);
}

void TranscriptView::setBusy(bool busy)
{
    m_busy->setRunning(busy);
}

void TranscriptView::showError(const ApiError &error)
{
    setBusy(false);
    m_banner->showError(error);
}

void TranscriptView::clearError()
{
    m_banner->clear();
}

void TranscriptView::setHeader(const Conversation &c, const QList<Property> &properties)
{
    m_title->setText(c.title.isEmpty() ? tr("(untitled conversation)") : c.title);
    m_id->setText(c.id);
    m_id->setCursorPosition(0);
    m_copyId->setEnabled(!c.id.isEmpty());

    QList<Property> shown;
    if (!c.status.isEmpty())
        shown << Property{tr("Status"), c.status};
    if (!c.kind.isEmpty())
        shown << Property{tr("Type"), c.kind};
    if (!c.owner.isEmpty())
        shown << Property{tr("Owner"), c.owner};
    if (c.createdAt.isValid())
        shown << Property{tr("Created"), timeText(c.createdAt)};
    if (c.updatedAt.isValid())
        shown << Property{tr("Updated"), timeText(c.updatedAt)};
    if (c.turnCount >= 0)
        shown << Property{tr("Turns"), QLocale().toString(c.turnCount)};
    const QString dim = palette().color(QPalette::PlaceholderText).name();
    QStringList parts;
    for (const Property &p : shown) {
        parts << QStringLiteral("<span style=\"white-space:nowrap\"><span style=\"color:%1\">%2"
                                "</span>&nbsp;%3</span>")
                     .arg(dim, p.label.toHtmlEscaped(), p.value.toHtmlEscaped());
    }
    m_properties->setText(parts.join(QStringLiteral(" &nbsp;&nbsp; ")));
    m_properties->setVisible(!parts.isEmpty());

    // The platform's own properties: a two-column table behind a toggle, so that a platform
    // reporting many of them does not push the transcript out of sight.
    QString rows;
    int count = 0;
    for (const Property &p : properties) {
        if (p.label.isEmpty())
            continue;
        QString value = p.value;
        if (value.size() > 400)
            value = value.left(400) + QChar(0x2026);
        rows += QStringLiteral("<tr><td style=\"color:%1; padding-right:12px\" valign=\"top\">"
                               "%2</td><td>%3</td></tr>")
                    .arg(dim, p.label.toHtmlEscaped(), value.toHtmlEscaped());
        ++count;
    }
    m_details->setText(QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">") + rows +
                       QStringLiteral("</table>"));
    m_detailsToggle->setText(tr("Details (%1)").arg(count));
    m_detailsToggle->setVisible(count > 0);
    setDetailsExpanded(m_detailsExpanded);
    m_header->show();
}

void TranscriptView::setDetailsExpanded(bool expanded)
{
    m_detailsExpanded = expanded;
    m_detailsToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_details->setVisible(expanded && !m_detailsToggle->isHidden());
}

void TranscriptView::showTurnsOrNote(bool hasTranscript, const QString &note)
{
    if (!hasTranscript) {
        // The details are all there is to read: show them.
        if (!m_detailsToggle->isHidden()) {
            m_details->show();
            m_detailsToggle->setArrowType(Qt::DownArrow);
        }
        m_note->setText(note.isEmpty() ? tr("This platform provides no transcript for this "
                                            "conversation.")
                                       : note);
        m_stack->setCurrentIndex(NotePage);
        return;
    }
    if (m_model && m_model->rowCount() == 0) {
        m_note->setText(tr("This conversation has no messages."));
        m_stack->setCurrentIndex(NotePage);
        return;
    }
    m_stack->setCurrentIndex(ListPage);
}

bool TranscriptView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress && m_delegate) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Copy)) {
            copyCurrentTurn();
            return true;
        }
        const bool toggle =
            key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier;
        if (toggle && (key->key() == Qt::Key_Space || key->key() == Qt::Key_Return ||
                       key->key() == Qt::Key_Enter)) {
            const QModelIndex current = m_list->currentIndex();
            if (current.isValid() && m_delegate->toggleRow(current)) {
                m_list->scrollTo(current);
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TranscriptView::copyCurrentTurn()
{
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid())
        return;
    const QString text = current.data(Qt::DisplayRole).toString();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

const Turn *TranscriptView::currentTurn() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() && m_turnAt ? m_turnAt(current) : nullptr;
}

void TranscriptView::updateRawAction()
{
    const Turn *turn = currentTurn();
    const bool has = turn && !turn->raw.isEmpty();
    m_showRaw->setEnabled(has);
    if (has)
        m_showRaw->setToolTip(tr("Show this message as the platform sent it"));
    else if (turn)
        m_showRaw->setToolTip(tr("This message has no raw JSON: it was written here or is "
                                 "still arriving."));
    else
        m_showRaw->setToolTip(tr("Select a message to see its raw JSON."));
}

void TranscriptView::showRawJson()
{
    const Turn *turn = currentTurn();
    if (!turn || turn->raw.isEmpty())
        return;
    QString what = turn->typeLabel.isEmpty() ? Turn::roleName(turn->role) : turn->typeLabel;
    if (!turn->id.isEmpty())
        what += u' ' + turn->id;
    auto *dialog = new RawJsonDialog(what, turn->raw, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->activateWindow(); // its find field takes the keys at once
}

void TranscriptView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_list->indexAt(pos);
    if (!index.isValid())
        return;
    m_list->setCurrentIndex(index);
    updateRawAction();
    QMenu menu(this);
    menu.setToolTipsVisible(true); // says why Show Raw JSON is off
    menu.addAction(m_showRaw);
    menu.exec(m_list->viewport()->mapToGlobal(pos));
}

void TranscriptView::addStatusBar(QWidget *bar)
{
    auto *box = qobject_cast<QVBoxLayout *>(layout());
    box->insertWidget(box->indexOf(m_stack), bar);
}

} // namespace parley
