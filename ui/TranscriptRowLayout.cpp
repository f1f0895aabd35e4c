#include "TranscriptRowLayout.h"

#include "core/FragmentContent.h"
#include "core/MarkdownText.h"
#include "core/TranslationContext.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QFontMetrics>
#include <QRegularExpression>
#include <QTextDocument>
#include <QtMath>

namespace parley {

namespace {

const TranslationContext tr{"parley::TranscriptView"};

// Markdown parsing costs several times plain layout: only pay for it when the text
// holds something markdown would change.
bool looksLikeMarkdown(const QString &text)
{
    static const QRegularExpression marks(QStringLiteral(R"([*_`#\[|>]|^\s*([-+]|\d+[.)])\s)"),
                                          QRegularExpression::MultilineOption);
    return marks.match(text).hasMatch();
}

std::unique_ptr<QTextDocument> makeDocument(const QFont &font, int width)
{
    auto doc = std::make_unique<QTextDocument>();
    doc->setUndoRedoEnabled(false);
    doc->setDocumentMargin(0);
    doc->setDefaultFont(font);
    doc->setTextWidth(qMax(40, width));
    return doc;
}

std::unique_ptr<QTextDocument> markdownDocument(const QString &text, const QFont &font, int width)
{
    auto doc = makeDocument(font, width);
    if (looksLikeMarkdown(text))
        doc->setMarkdown(text, QTextDocument::MarkdownDialectGitHub);
    else
        doc->setPlainText(text);
    doc->setTextWidth(qMax(40, width));
    return doc;
}

std::unique_ptr<QTextDocument> plainDocument(const QString &text, const QFont &font, int width)
{
    auto doc = makeDocument(font, width);
    doc->setPlainText(text);
    return doc;
}

int docHeight(const QTextDocument &doc)
{
    return qCeil(doc.size().height());
}

QString oneLine(const QString &text)
{
    QString s = text.simplified();
    if (s.size() > 200)
        s.truncate(200);
    return s;
}

std::unique_ptr<QTextDocument> htmlDocument(const QString &html, const QFont &font, int width)
{
    auto doc = makeDocument(font, width);
    doc->setHtml(html);
    return doc;
}

// "<b>Plan:</b> text" with the text's line breaks kept.
QString labelledHtml(const QString &label, const QString &text)
{
    QString body = text.toHtmlEscaped();
    body.replace(QLatin1Char('\n'), QLatin1String("<br>"));
    return QStringLiteral("<b>%1:</b> %2").arg(label.toHtmlEscaped(), body);
}

QColor progressColor(content::Progress progress)
{
    switch (progress) {
    case content::Progress::Done:
        return {0x2e, 0x8b, 0x57};
    case content::Progress::Failed:
        return {0xc9, 0x37, 0x2c};
    case content::Progress::Running:
        return {0x2f, 0x6f, 0xdb};
    case content::Progress::Pending:
        break;
    }
    return {0x80, 0x80, 0x80};
}

// A step, task or substep: its status mark and text, coloured by its status.
std::unique_ptr<QTextDocument> listItemDocument(const Fragment &f, const QFont &font, int width,
                                                QColor *color)
{
    QString line;
    if (f.status.isEmpty()) {
        line = QStringLiteral("•  ") + f.text;
    } else {
        const content::Progress progress = content::progressOf(f.status);
        line = content::progressMark(progress) + QStringLiteral("  ") + f.text;
        if (progress != content::Progress::Done)
            line += QStringLiteral(" — ") + content::statusText(f.status);
        *color = progressColor(progress);
    }
    auto doc = makeDocument(font, width);
    doc->setPlainText(line);
    return doc;
}

// A named part of a structured message (core/FragmentContent.h): the notebook and
// commentary as markdown under their label, the rest as labelled text.
std::unique_ptr<QTextDocument> namedDocument(const Fragment &f, const QString &label,
                                             const TranscriptRowLayout::Style &style, int width,
                                             QColor *color, int *indent)
{
    if (content::isListItem(f)) {
        *indent = 8;
        return listItemDocument(f, style.font, width - *indent, color);
    }
    if (content::isItemDetail(f)) {
        *indent = 28;
        *color = QColor(0x80, 0x80, 0x80);
        return htmlDocument(labelledHtml(label, f.text), style.font, width - *indent);
    }
    if (f.name == content::kNotebook || f.name == content::kCommentary) {
        // A notebook's title is not the transcript's: its headings two sizes smaller.
        return markdownDocument(QStringLiteral("**%1**\n\n").arg(label) +
                                    markdownDemoteHeadings(f.text, 2),
                                style.font, width);
    }
    if (f.name == content::kSql) { // monospace, wrapped: one long line must not be cut
        return htmlDocument(QStringLiteral("<b>%1:</b><br><span style=\"font-family:'%2'; "
                                           "white-space:pre-wrap\">%3</span>")
                                .arg(label.toHtmlEscaped(), style.monoFont.family().toHtmlEscaped(),
                                     f.text.toHtmlEscaped()),
                            style.font, width);
    }
    return htmlDocument(labelledHtml(label, f.text), style.font, width);
}

// The document of a fragment that is not a tool strip; null when it shows nothing.
std::unique_ptr<QTextDocument> fragmentDocument(const Fragment &f,
                                                const TranscriptRowLayout::Style &style,
                                                int contentWidth, QColor *color, int *indent)
{
    const QString label = content::label(f.name);
    if (!label.isEmpty() && !f.text.isEmpty() &&
        (f.kind == Fragment::Kind::Text || f.kind == Fragment::Kind::Other))
        return namedDocument(f, label, style, contentWidth, color, indent);
    switch (f.kind) {
    case Fragment::Kind::Text:
        if (f.text.isEmpty())
            return nullptr;
        return markdownDocument(f.text, style.font, contentWidth);
    case Fragment::Kind::Error:
        *color = QColor(0xc9, 0x37, 0x2c);
        return plainDocument(f.text.isEmpty() ? tr("Error") : f.text, style.font, contentWidth);
    case Fragment::Kind::File: {
        QString line = tr("File: %1").arg(f.name.isEmpty() ? tr("(unnamed)") : f.name);
        if (!f.text.isEmpty())
            line += QStringLiteral(" — ") + f.text;
        return plainDocument(line, style.font, contentWidth);
    }
    case Fragment::Kind::Other: {
        QFont italic = style.font;
        italic.setItalic(true);
        QString line =
            f.name.isEmpty() ? QString() : QLatin1Char('[') + f.name + QLatin1String("] ");
        line += f.text;
        if (line.isEmpty())
            return nullptr;
        *color = QColor(0x80, 0x80, 0x80);
        return plainDocument(line, italic, contentWidth);
    }
    case Fragment::Kind::ToolCall:
    case Fragment::Kind::ToolResult:
        break;
    }
    return nullptr;
}

} // namespace

int TranscriptRowLayout::addCutOffMark(TranscriptRowLayout &row, int fragment, const QRect &at,
                                       const Style &style)
{
    Block b;
    b.kind = BlockKind::State;
    b.fragment = fragment;
    b.color = QColor(0xb3, 0x6b, 0x00);
    QFont italic = style.font;
    italic.setItalic(true);
    b.doc = plainDocument(tr("Cut off here: this part was still being written when the turn "
                             "ended."),
                          italic, at.width());
    b.body = QRect(at.left(), at.top(), at.width(), docHeight(*b.doc));
    const int next = b.body.bottom() + 1 + style.padding / 2;
    row.blocks.push_back(std::move(b));
    return next;
}

TranscriptRowLayout::TranscriptRowLayout() = default;
TranscriptRowLayout::~TranscriptRowLayout() = default;
TranscriptRowLayout::TranscriptRowLayout(TranscriptRowLayout &&) noexcept = default;
TranscriptRowLayout &TranscriptRowLayout::operator=(TranscriptRowLayout &&) noexcept = default;

bool TranscriptRowLayout::isCollapsible(const Fragment &fragment)
{
    return fragment.kind == Fragment::Kind::ToolCall || fragment.kind == Fragment::Kind::ToolResult;
}

TranscriptRowLayout TranscriptRowLayout::build(const Turn &turn, int width, quint64 expandedMask,
                                               const Style &style)
{
    TranscriptRowLayout row;
    row.width = width;
    row.expandedMask = expandedMask;

    const int pad = style.padding;
    const int left = style.accentWidth + pad + 2;
    const int contentWidth = qMax(60, width - left - pad);
    const QFontMetrics fm(style.font);
    const int lineHeight = fm.height();
    int y = pad;

    row.headerLine = QRect(left, y, contentWidth, lineHeight);
    y += lineHeight + pad / 2;

    // A message Parley could not read: what it was and why, in its place; whatever of it
    // was read still follows.
    if (turn.isUnreadable()) {
        Block b;
        b.kind = BlockKind::State;
        const QString type = turn.typeLabel.isEmpty() ? tr("message") : turn.typeLabel;
        QFont bold = style.font;
        bold.setBold(true);
        b.doc =
            plainDocument(tr("Unreadable %1: %2").arg(type, turn.unreadable), bold, contentWidth);
        b.color = QColor(0xb3, 0x6b, 0x00);
        b.body = QRect(left, y, contentWidth, docHeight(*b.doc));
        y += b.body.height() + pad / 2;
        row.blocks.push_back(std::move(b));
    }

    if (turn.state != Turn::State::Done) {
        Block b;
        b.kind = BlockKind::State;
        QString text;
        switch (turn.state) {
        case Turn::State::Error:
            text = tr("Error");
            b.color = QColor(0xc9, 0x37, 0x2c);
            break;
        case Turn::State::Stopped:
            text = tr("Stopped");
            b.color = QColor(0xb3, 0x6b, 0x00);
            break;
        case Turn::State::InProgress:
            text = tr("In progress…");
            b.color = QColor(0x2f, 0x6f, 0xdb);
            break;
        case Turn::State::Done:
            break;
        }
        if (!turn.errorDetail.isEmpty())
            text += QStringLiteral(": ") + turn.errorDetail;
        QFont bold = style.font;
        bold.setBold(true);
        b.doc = plainDocument(text, bold, contentWidth);
        b.body = QRect(left, y, contentWidth, docHeight(*b.doc));
        y += b.body.height() + pad / 2;
        row.blocks.push_back(std::move(b));
    }

    for (int i = 0; i < turn.fragments.size(); ++i) {
        const Fragment &f = turn.fragments.at(i);
        Block b;
        b.fragment = i;
        if (isCollapsible(f)) {
            b.kind = BlockKind::Collapsible;
            b.expanded = expandedMask & bit(i);
            b.title = f.kind == Fragment::Kind::ToolCall ? tr("Tool call") : tr("Tool result");
            b.name = f.name.isEmpty() ? f.callId : f.name;
            b.failed = f.failed;
            b.preview = f.inProgress ? tr("running…") : oneLine(f.text);
            b.header = QRect(left, y, contentWidth, lineHeight + 8);
            y += b.header.height();
            if (b.expanded) {
                const QString body = f.text.isEmpty() ? tr("(empty)") : f.text;
                b.doc = plainDocument(body, style.monoFont, contentWidth - 16);
                b.body = QRect(left + 8, y + 6, contentWidth - 16, docHeight(*b.doc));
                y = b.body.bottom() + 1 + 6;
            }
            y += pad / 2;
            row.blocks.push_back(std::move(b));
            continue;
        }

        b.kind = BlockKind::Text;
        if (f.kind == Fragment::Kind::Text && f.text.isEmpty()) {
            if (f.inProgress && turn.state != Turn::State::InProgress)
                y = addCutOffMark(row, i, QRect(left, y, contentWidth, 0), style);
            continue;
        }
        int indent = 0;
        b.doc = fragmentDocument(f, style, contentWidth, &b.color, &indent);
        if (!b.doc)
            continue;
        b.body = QRect(left + indent, y, contentWidth - indent, docHeight(*b.doc));
        y += b.body.height() + pad / 2;
        row.blocks.push_back(std::move(b));
        // Text still being written when its turn ended was cut off; a plan's step in progress
        // (it has a status) is not text being written.
        if (f.kind == Fragment::Kind::Text && f.status.isEmpty() && f.inProgress &&
            turn.state != Turn::State::InProgress)
            y = addCutOffMark(row, i, QRect(left, y, contentWidth, 0), style);
    }

    row.height = y + pad / 2;
    return row;
}

int TranscriptRowLayout::collapsibleAt(const QPoint &pos) const
{
    for (int i = 0; i < int(blocks.size()); ++i) {
        const Block &b = blocks[size_t(i)];
        if (b.kind == BlockKind::Collapsible && b.header.contains(pos))
            return i;
    }
    return -1;
}

} // namespace parley
