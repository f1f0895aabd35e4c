#include "TranscriptRowLayout.h"

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
        switch (f.kind) {
        case Fragment::Kind::Text:
            if (f.text.isEmpty()) {
                if (f.inProgress && turn.state != Turn::State::InProgress)
                    y = addCutOffMark(row, i, QRect(left, y, contentWidth, 0), style);
                continue;
            }
            b.doc = markdownDocument(f.text, style.font, contentWidth);
            break;
        case Fragment::Kind::Error:
            b.color = QColor(0xc9, 0x37, 0x2c);
            b.doc =
                plainDocument(f.text.isEmpty() ? tr("Error") : f.text, style.font, contentWidth);
            break;
        case Fragment::Kind::File: {
            QString line = tr("File: %1").arg(f.name.isEmpty() ? tr("(unnamed)") : f.name);
            if (!f.text.isEmpty())
                line += QStringLiteral(" — ") + f.text;
            b.doc = plainDocument(line, style.font, contentWidth);
            break;
        }
        case Fragment::Kind::Other: {
            QFont italic = style.font;
            italic.setItalic(true);
            QString line =
                f.name.isEmpty() ? QString() : QLatin1Char('[') + f.name + QLatin1String("] ");
            line += f.text;
            if (line.isEmpty())
                continue;
            b.doc = plainDocument(line, italic, contentWidth);
            b.color = QColor(0x80, 0x80, 0x80);
            break;
        }
        case Fragment::Kind::ToolCall:
        case Fragment::Kind::ToolResult:
            break;
        }
        b.body = QRect(left, y, contentWidth, docHeight(*b.doc));
        y += b.body.height() + pad / 2;
        row.blocks.push_back(std::move(b));
        if (f.inProgress && turn.state != Turn::State::InProgress)
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
