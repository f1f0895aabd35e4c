#include "WorkspaceItemDelegate.h"

#include <QApplication>
#include <QPainter>

namespace parley {

namespace {
constexpr int kPadding = 6;
}

WorkspaceItemDelegate::WorkspaceItemDelegate(int subtitleRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_subtitleRole(subtitleRole)
{}

QSize WorkspaceItemDelegate::sizeHint(const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    Q_UNUSED(index);
    const QFontMetrics fm(option.font);
    const int iconSize = QApplication::style()->pixelMetric(QStyle::PM_SmallIconSize);
    return {160, qMax(iconSize, fm.height() * 2 + 2) + 2 * kPadding};
}

void WorkspaceItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString name = opt.text;
    const QString subtitle = index.data(m_subtitleRole).toString();
    const QIcon icon = opt.icon;
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // Background, selection and focus from the style; text and icon drawn here.
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        (opt.state & QStyle::State_Enabled)
            ? ((opt.state & QStyle::State_Active) ? QPalette::Active : QPalette::Inactive)
            : QPalette::Disabled;
    const QColor text =
        opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(selected ? 0.8 : 0.6);

    QRect r = opt.rect.adjusted(kPadding + 2, kPadding, -kPadding, -kPadding);
    const int iconSize = style->pixelMetric(QStyle::PM_SmallIconSize, nullptr, widget);
    if (!icon.isNull()) {
        const QRect iconRect(r.left(), r.top() + (r.height() - iconSize) / 2, iconSize, iconSize);
        icon.paint(painter, iconRect, Qt::AlignCenter, selected ? QIcon::Selected : QIcon::Normal);
        r.setLeft(iconRect.right() + 1 + kPadding + 2);
    }
    const QFontMetrics fm(opt.font);
    painter->save();
    QFont nameFont = opt.font;
    nameFont.setWeight(QFont::DemiBold);
    painter->setFont(nameFont);
    painter->setPen(text);
    const QRect nameRect(r.left(), r.top(), r.width(), fm.height());
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(nameFont).elidedText(name, Qt::ElideRight, r.width()));
    painter->setFont(opt.font);
    painter->setPen(dim);
    const QRect subRect(r.left(), nameRect.bottom() + 2, r.width(), fm.height());
    painter->drawText(subRect, Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(subtitle, Qt::ElideRight, r.width()));
    painter->restore();
}

} // namespace parley
