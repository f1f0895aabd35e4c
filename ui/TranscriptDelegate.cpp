#include "TranscriptDelegate.h"

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextDocument>

namespace parley {

namespace {

QColor roleColor(Turn::Role role)
{
    switch (role) {
    case Turn::Role::User:
        return {0x2f, 0x6f, 0xdb};
    case Turn::Role::Assistant:
        return {0x2e, 0x8b, 0x57};
    case Turn::Role::Tool:
        return {0x8a, 0x5c, 0xc7};
    case Turn::Role::System:
    case Turn::Role::Unknown:
        break;
    }
    return {0x7a, 0x7f, 0x87};
}

QString roleTitle(Turn::Role role)
{
    switch (role) {
    case Turn::Role::User:
        return TranscriptDelegate::tr("User");
    case Turn::Role::Assistant:
        return TranscriptDelegate::tr("Assistant");
    case Turn::Role::Tool:
        return TranscriptDelegate::tr("Tool");
    case Turn::Role::System:
        return TranscriptDelegate::tr("System");
    case Turn::Role::Unknown:
        break;
    }
    return TranscriptDelegate::tr("Unknown");
}

QColor stateColor(Turn::State state)
{
    switch (state) {
    case Turn::State::Error:
        return {0xc9, 0x37, 0x2c};
    case Turn::State::Stopped:
        return {0xb3, 0x6b, 0x00};
    case Turn::State::InProgress:
        return {0x2f, 0x6f, 0xdb};
    case Turn::State::Done:
        break;
    }
    return {};
}

QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t,
                            a.greenF() * (1 - t) + b.greenF() * t,
                            a.blueF() * (1 - t) + b.blueF() * t);
}

void drawDocument(QPainter *painter, const QTextDocument &doc, const QPoint &at,
                  const QPalette &palette, const QColor &color)
{
    painter->save();
    painter->translate(at);
    QAbstractTextDocumentLayout::PaintContext ctx;
    ctx.palette = palette;
    if (color.isValid())
        ctx.palette.setColor(QPalette::Text, color);
    doc.documentLayout()->draw(painter, ctx);
    painter->restore();
}

} // namespace

TranscriptDelegate::TranscriptDelegate(QAbstractItemView *view, TurnAccessor accessor)
    : QStyledItemDelegate(view)
    , m_view(view)
    , m_turn(std::move(accessor))
    , m_layouts(300)
{}

TranscriptDelegate::~TranscriptDelegate() = default;

int TranscriptDelegate::layoutWidth() const
{
    const int w = m_view->viewport()->width();
    return w > 0 ? w : 400;
}

TranscriptRowLayout::Style TranscriptDelegate::style() const
{
    TranscriptRowLayout::Style s;
    s.font = m_view->font();
    s.monoFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    s.monoFont.setPointSizeF(qMax(6.0, s.font.pointSizeF() * 0.92));
    return s;
}

const TranscriptRowLayout *TranscriptDelegate::layoutFor(const QModelIndex &index, int width) const
{
    const Turn *turn = m_turn(index);
    if (!turn)
        return nullptr;
    const int row = index.row();
    const quint64 mask = m_expanded.value(row);
    if (TranscriptRowLayout *cached = m_layouts.object(row)) {
        if (cached->width == width && cached->expandedMask == mask)
            return cached;
    }
    auto *layout = new TranscriptRowLayout(TranscriptRowLayout::build(*turn, width, mask, style()));
    m_heights.insert(row, {width, mask, layout->height});
    m_layouts.insert(row, layout);
    return layout;
}

QSize TranscriptDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    Q_UNUSED(option);
    const int width = layoutWidth();
    const int row = index.row();
    const quint64 mask = m_expanded.value(row);
    const auto it = m_heights.constFind(row);
    if (it != m_heights.cend() && it->width == width && it->mask == mask)
        return {width, it->height};
    const TranscriptRowLayout *layout = layoutFor(index, width);
    return {width, layout ? layout->height : 0};
}

void TranscriptDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const Turn *turn = m_turn(index);
    if (!turn)
        return;
    const TranscriptRowLayout *row = layoutFor(index, layoutWidth());
    if (!row)
        return;

    const QRect r = option.rect;
    const QPoint origin = r.topLeft();
    const QPalette &pal = option.palette;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    // Background: state tint, then selection.
    QColor background = pal.color(QPalette::Base);
    if (turn->isUnreadable())
        background = blend(background, stateColor(Turn::State::Stopped), 0.07);
    else if (turn->state == Turn::State::Error || turn->state == Turn::State::Stopped)
        background = blend(background, stateColor(turn->state), 0.07);
    painter->fillRect(r, background);
    if (option.state & QStyle::State_Selected) {
        QColor sel = pal.color(QPalette::Highlight);
        sel.setAlphaF(0.12);
        painter->fillRect(r, sel);
    }

    // Accent bar in the role's colour (the state's colour for failed turns).
    QColor accent =
        turn->state == Turn::State::Done ? roleColor(turn->role) : stateColor(turn->state);
    if (turn->isUnreadable())
        accent = stateColor(Turn::State::Stopped);
    painter->fillRect(QRect(r.left(), r.top(), 3, r.height()), accent);

    const QRect headerLine = row->headerLine.translated(origin);
    paintHeader(painter, option, *turn, header(index, *turn, headerLine), headerLine);

    for (const TranscriptRowLayout::Block &b : row->blocks) {
        if (b.kind == TranscriptRowLayout::BlockKind::Collapsible) {
            paintCollapsible(painter, option, b, origin);
            continue;
        }
        if (b.doc)
            drawDocument(painter, *b.doc, origin + b.body.topLeft(), pal, b.color);
    }

    // Separator between turns.
    QColor line = pal.color(QPalette::WindowText);
    line.setAlphaF(0.10);
    painter->fillRect(QRect(r.left(), r.bottom(), r.width(), 1), line);

    if (option.state & QStyle::State_HasFocus && m_view->hasFocus()) {
        QStyleOptionFocusRect focus;
        focus.rect = r.adjusted(4, 1, -2, -2);
        focus.palette = pal;
        focus.state = option.state;
        focus.backgroundColor = background;
        QApplication::style()->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, m_view);
    }
    painter->restore();
}

TranscriptDelegate::Header TranscriptDelegate::header(const QModelIndex &index, const Turn &turn,
                                                      const QRect &line) const
{
    Header h;
    QFont bold = m_view->font();
    bold.setBold(true);
    const QFontMetrics fm(m_view->font());
    if (turn.timestamp.isValid())
        h.time = turn.timestamp.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const int timeWidth = h.time.isEmpty() ? 0 : fm.horizontalAdvance(h.time);
    h.role = roleTitle(turn.role);
    h.roleWidth = QFontMetrics(bold).horizontalAdvance(h.role);
    int x = line.left() + h.roleWidth + 8;
    const int end = line.right() - timeWidth - 12;

    QString reply;
    if (!turn.inReplyTo.isEmpty()) {
        const QModelIndex target = repliedTo(index);
        const Turn *question = target.isValid() ? m_turn(target) : nullptr;
        h.replyFound = question != nullptr;
        const QString text = question ? question->plainText().simplified() : QString();
        if (!question)
            reply = tr("in reply to %1 (not in this transcript)").arg(turn.inReplyTo);
        else if (text.isEmpty())
            reply = tr("in reply to: %1").arg(roleTitle(question->role));
        else
            reply = tr("in reply to “%1”").arg(text.left(300));
    }

    const bool showType = !turn.typeLabel.isEmpty() &&
                          turn.typeLabel.compare(Turn::roleName(turn.role), Qt::CaseInsensitive);
    if (showType) {
        // With a reply to name as well, the type takes at most a third of the room.
        const int room = reply.isEmpty() ? end - x : (end - x) / 3;
        if (room > 20) {
            h.typeText = fm.elidedText(turn.typeLabel, Qt::ElideRight, room);
            h.type = QRect(x, line.top(), room, line.height());
            x += fm.horizontalAdvance(h.typeText) + 8;
        }
    }
    if (!reply.isEmpty() && end - x > 30) {
        h.replyText = fm.elidedText(reply, Qt::ElideRight, end - x);
        h.reply = QRect(x, line.top(), fm.horizontalAdvance(h.replyText), line.height());
    }
    return h;
}

void TranscriptDelegate::paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                                     const Turn &turn, const Header &h, const QRect &line) const
{
    QFont bold = m_view->font();
    bold.setBold(true);
    QColor dim = option.palette.color(QPalette::Text);
    dim.setAlphaF(0.55);

    painter->setFont(bold);
    painter->setPen(roleColor(turn.role));
    painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, h.role);
    painter->setFont(m_view->font());
    painter->setPen(dim);
    if (!h.typeText.isEmpty())
        painter->drawText(h.type, Qt::AlignLeft | Qt::AlignVCenter, h.typeText);
    if (!h.replyText.isEmpty()) {
        painter->setPen(h.replyFound ? option.palette.color(QPalette::Link) : dim);
        painter->drawText(h.reply, Qt::AlignLeft | Qt::AlignVCenter, h.replyText);
        painter->setPen(dim);
    }
    if (!h.time.isEmpty())
        painter->drawText(line, Qt::AlignRight | Qt::AlignVCenter, h.time);
}

QModelIndex TranscriptDelegate::repliedTo(const QModelIndex &index) const
{
    const Turn *turn = m_turn(index);
    const QAbstractItemModel *model = index.model();
    if (!turn || !model || turn->inReplyTo.isEmpty())
        return {};
    const int row = index.row();
    auto cached = m_replyRows.constFind(row);
    if (cached == m_replyRows.cend()) {
        // The nearest row with that id, looking above first (a question comes before its
        // answer).
        int found = -1;
        const int rows = model->rowCount();
        for (int step = 1; found < 0 && (row - step >= 0 || row + step < rows); ++step) {
            for (const int r : {row - step, row + step}) {
                const Turn *t = r >= 0 && r < rows ? m_turn(model->index(r, 0)) : nullptr;
                if (found < 0 && t && t->id == turn->inReplyTo)
                    found = r;
            }
        }
        cached = m_replyRows.insert(row, found);
    }
    return *cached >= 0 ? model->index(*cached, 0) : QModelIndex();
}

QRect TranscriptDelegate::replyLinkRect(const QModelIndex &index) const
{
    const Turn *turn = m_turn(index);
    const TranscriptRowLayout *row = turn ? layoutFor(index, layoutWidth()) : nullptr;
    if (!row)
        return {};
    const QRect line = row->headerLine.translated(m_view->visualRect(index).topLeft());
    const Header h = header(index, *turn, line);
    return h.replyFound ? h.reply : QRect();
}

void TranscriptDelegate::paintCollapsible(QPainter *painter, const QStyleOptionViewItem &option,
                                          const TranscriptRowLayout::Block &b,
                                          const QPoint &origin) const
{
    const QPalette &pal = option.palette;
    const QRect header = b.header.translated(origin);
    QRect box = header;
    if (b.expanded && b.doc)
        box.setBottom(b.body.translated(origin).bottom() + 6);

    const QColor text = pal.color(QPalette::Text);
    QColor fill = blend(pal.color(QPalette::Base), text, 0.05);
    QColor border = blend(pal.color(QPalette::Base), text, 0.16);
    if (b.failed)
        border = blend(pal.color(QPalette::Base), QColor(0xc9, 0x37, 0x2c), 0.5);
    painter->setPen(border);
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);

    // Disclosure triangle.
    const int cy = header.center().y();
    const int cx = header.left() + 11;
    QPainterPath tri;
    if (b.expanded) {
        tri.moveTo(cx - 4, cy - 2);
        tri.lineTo(cx + 4, cy - 2);
        tri.lineTo(cx, cy + 3);
    } else {
        tri.moveTo(cx - 2, cy - 4);
        tri.lineTo(cx + 3, cy);
        tri.lineTo(cx - 2, cy + 4);
    }
    tri.closeSubpath();
    painter->setPen(Qt::NoPen);
    painter->setBrush(blend(pal.color(QPalette::Base), text, 0.6));
    painter->drawPath(tri);

    QFont bold = m_view->font();
    bold.setBold(true);
    const QFontMetrics boldFm(bold);
    QFont mono = style().monoFont;
    const QFontMetrics monoFm(mono);
    int x = header.left() + 22;
    const int right = header.right() - 8;
    const QRect textRow(x, header.top(), right - x, header.height());

    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(textRow, Qt::AlignLeft | Qt::AlignVCenter, b.title);
    x += boldFm.horizontalAdvance(b.title) + 8;

    if (b.failed) {
        const QString failed = tr("failed");
        painter->setPen(QColor(0xc9, 0x37, 0x2c));
        painter->drawText(QRect(x, header.top(), right - x, header.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, failed);
        x += boldFm.horizontalAdvance(failed) + 8;
    }
    if (!b.name.isEmpty() && x < right) {
        painter->setFont(mono);
        painter->setPen(roleColor(Turn::Role::Tool));
        const QString name = monoFm.elidedText(b.name, Qt::ElideRight, right - x);
        painter->drawText(QRect(x, header.top(), right - x, header.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, name);
        x += monoFm.horizontalAdvance(name) + 10;
    }
    if (!b.expanded && !b.preview.isEmpty() && right - x > 30) {
        QColor dim = text;
        dim.setAlphaF(0.5);
        painter->setFont(mono);
        painter->setPen(dim);
        painter->drawText(QRect(x, header.top(), right - x, header.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          monoFm.elidedText(b.preview, Qt::ElideRight, right - x));
    }
    if (b.expanded && b.doc)
        drawDocument(painter, *b.doc, origin + b.body.topLeft(), pal, QColor());
}

bool TranscriptDelegate::isExpanded(int row, int fragment) const
{
    return m_expanded.value(row) & TranscriptRowLayout::bit(fragment);
}

void TranscriptDelegate::setExpanded(const QModelIndex &index, int fragment, bool expanded)
{
    quint64 &mask = m_expanded[index.row()];
    const quint64 before = mask;
    if (expanded)
        mask |= TranscriptRowLayout::bit(fragment);
    else
        mask &= ~TranscriptRowLayout::bit(fragment);
    if (mask != before)
        Q_EMIT sizeHintChanged(index);
}

int TranscriptDelegate::collapsibleCount(const QModelIndex &index) const
{
    const Turn *turn = m_turn(index);
    if (!turn)
        return 0;
    int n = 0;
    for (const Fragment &f : turn->fragments)
        n += TranscriptRowLayout::isCollapsible(f) ? 1 : 0;
    return n;
}

bool TranscriptDelegate::toggleRow(const QModelIndex &index)
{
    const Turn *turn = m_turn(index);
    if (!turn)
        return false;
    quint64 all = 0;
    for (int i = 0; i < turn->fragments.size(); ++i) {
        if (TranscriptRowLayout::isCollapsible(turn->fragments.at(i)))
            all |= TranscriptRowLayout::bit(i);
    }
    if (!all)
        return false;
    quint64 &mask = m_expanded[index.row()];
    mask = (mask & all) == all ? (mask & ~all) : (mask | all);
    Q_EMIT sizeHintChanged(index);
    return true;
}

void TranscriptDelegate::reset()
{
    m_replyRows.clear();
    m_expanded.clear();
    m_heights.clear();
    m_layouts.clear();
}

void TranscriptDelegate::invalidateRow(int row)
{
    m_replyRows.clear(); // a changed id may be the one another row answers
    m_heights.remove(row);
    m_layouts.remove(row);
}

bool TranscriptDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                     const QStyleOptionViewItem &option, const QModelIndex &index)
{
    const QEvent::Type type = event->type();
    if (type != QEvent::MouseButtonPress && type != QEvent::MouseButtonRelease &&
        type != QEvent::MouseButtonDblClick)
        return QStyledItemDelegate::editorEvent(event, model, option, index);
    auto *mouse = static_cast<QMouseEvent *>(event);
    if (mouse->button() != Qt::LeftButton)
        return false;
    // A press on "in reply to …" selects the turn it names; its release is swallowed.
    if (replyLinkRect(index).contains(mouse->position().toPoint())) {
        if (type == QEvent::MouseButtonPress) {
            const QModelIndex question = repliedTo(index);
            m_view->setCurrentIndex(question);
            m_view->scrollTo(question, QAbstractItemView::PositionAtCenter);
        }
        return true;
    }
    const TranscriptRowLayout *row = layoutFor(index, layoutWidth());
    if (!row)
        return false;
    const int hit = row->collapsibleAt(mouse->position().toPoint() - option.rect.topLeft());
    if (hit < 0)
        return false;
    // A press on a tool strip toggles it; the release and a double click's second press
    // are swallowed so that one click is one toggle.
    if (type == QEvent::MouseButtonPress) {
        const int fragment = row->blocks[size_t(hit)].fragment;
        m_view->setCurrentIndex(index);
        setExpanded(index, fragment, !isExpanded(index.row(), fragment));
    }
    return true;
}

} // namespace parley
