#include "providers/posthog/ProseMirrorText.h"

#include "core/MarkdownText.h"

#include <QJsonArray>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace parley::posthog {

namespace {

constexpr int kMaxDepth = 48;

QString typeOf(const QJsonObject &node)
{
    return node.value(u"type"_s).toString();
}

QJsonArray childrenOf(const QJsonObject &node)
{
    return node.value(u"content"_s).toArray();
}

bool isBlockType(const QString &type)
{
    static const QStringList blocks{
        u"paragraph"_s, u"heading"_s,    u"bulletList"_s,     u"orderedList"_s, u"listItem"_s,
        u"codeBlock"_s, u"blockquote"_s, u"horizontalRule"_s, u"bullet_list"_s, u"ordered_list"_s,
        u"list_item"_s, u"code_block"_s, u"horizontal_rule"_s};
    return blocks.contains(type);
}

// "[ph-query: Weekly signups]" for a node Parley does not know and that holds no text.
QString placeholder(const QJsonObject &node)
{
    const QString type = typeOf(node);
    const QJsonObject attrs = node.value(u"attrs"_s).toObject();
    for (const QString &key : {u"title"_s, u"label"_s, u"name"_s}) {
        const QString value = attrs.value(key).toString().trimmed();
        if (!value.isEmpty())
            return u"[%1: %2]"_s.arg(type.isEmpty() ? u"?"_s : type, value);
    }
    return type.isEmpty() ? QString() : u"[%1]"_s.arg(type);
}

// Every line after the first indented by `indent` (the body of a list item or a quote).
QString indentRest(const QString &text, const QString &indent)
{
    QStringList lines = text.split(u'\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!lines.at(i).isEmpty())
            lines[i].prepend(indent);
    }
    return lines.join(u'\n');
}

class Walker
{
public:
    // Blocks separated by blank lines (by line breaks inside a list item, so that a nested
    // list stays tight).
    QString blocks(const QJsonArray &nodes, int depth, const QString &separator = u"\n\n"_s) const
    {
        QStringList out;
        QString inlineRun;
        auto flush = [&] {
            if (!inlineRun.trimmed().isEmpty())
                out << inlineRun.trimmed();
            inlineRun.clear();
        };
        for (const QJsonValue &v : nodes) {
            const QJsonObject node = v.toObject();
            if (isBlockType(typeOf(node)) || (!node.contains(u"text"_s) && !isInline(node))) {
                flush();
                const QString b = block(node, depth);
                if (!b.trimmed().isEmpty())
                    out << b;
            } else {
                inlineRun += inlineText(node, depth);
            }
        }
        flush();
        return out.join(separator);
    }

private:
    static bool isInline(const QJsonObject &node)
    {
        const QString type = typeOf(node);
        return type == "text"_L1 || type == "hardBreak"_L1 || type == "hard_break"_L1;
    }

    QString inlineText(const QJsonObject &node, int depth) const
    {
        const QString type = typeOf(node);
        if (type == "hardBreak"_L1 || type == "hard_break"_L1)
            return u"  \n"_s;
        if (node.contains(u"text"_s))
            return node.value(u"text"_s).toString();
        if (depth >= kMaxDepth)
            return {};
        QString out;
        for (const QJsonValue &v : childrenOf(node))
            out += inlineText(v.toObject(), depth + 1);
        if (out.isEmpty() && !isInline(node) && !node.contains(u"content"_s))
            return placeholder(node);
        return out;
    }

    QString list(const QJsonObject &node, bool ordered, int depth) const
    {
        int number = ordered ? node.value(u"attrs"_s).toObject().value(u"start"_s).toInt(1) : 0;
        QStringList items;
        for (const QJsonValue &v : childrenOf(node)) {
            const QJsonObject item = v.toObject();
            const QString marker = ordered ? u"%1. "_s.arg(number++) : u"- "_s;
            // A list item holds blocks (a paragraph, a nested list); anything else is
            // read as one.
            const QString type = typeOf(item);
            const QString body = type == "listItem"_L1 || type == "list_item"_L1
                                     ? blocks(childrenOf(item), depth + 1, u"\n"_s)
                                     : block(item, depth + 1);
            items << marker + indentRest(body, QString(marker.size(), u' '));
        }
        return items.join(u'\n');
    }

    QString block(const QJsonObject &node, int depth) const
    {
        if (depth >= kMaxDepth)
            return {};
        const QString type = typeOf(node);
        const QJsonArray children = childrenOf(node);
        if (type == "paragraph"_L1) {
            QString text;
            for (const QJsonValue &v : children)
                text += inlineText(v.toObject(), depth + 1);
            return text.trimmed();
        }
        if (type == "heading"_L1) {
            const int level =
                qBound(1, node.value(u"attrs"_s).toObject().value(u"level"_s).toInt(1), 6);
            QString text;
            for (const QJsonValue &v : children)
                text += inlineText(v.toObject(), depth + 1);
            text = text.simplified();
            return text.isEmpty() ? QString() : QString(level, u'#') + u' ' + text;
        }
        if (type == "bulletList"_L1 || type == "bullet_list"_L1)
            return list(node, false, depth);
        if (type == "orderedList"_L1 || type == "ordered_list"_L1)
            return list(node, true, depth);
        if (type == "codeBlock"_L1 || type == "code_block"_L1) {
            QString code;
            for (const QJsonValue &v : children)
                code += inlineText(v.toObject(), depth + 1);
            return markdownFence(code,
                                 node.value(u"attrs"_s).toObject().value(u"language"_s).toString())
                .chopped(1);
        }
        if (type == "blockquote"_L1) {
            const QString inner = blocks(children, depth + 1);
            if (inner.isEmpty())
                return {};
            QString quoted = inner;
            quoted.replace(u'\n', u"\n> "_s);
            return u"> "_s + quoted;
        }
        if (type == "horizontalRule"_L1 || type == "horizontal_rule"_L1)
            return u"---"_s;
        // doc, listItem out of a list, and every type this walk does not know: its blocks,
        // or its name when it holds nothing.
        if (children.isEmpty())
            return type == "doc"_L1 ? QString() : placeholder(node);
        return blocks(children, depth + 1);
    }
};

} // namespace

QString proseMirrorMarkdown(const QJsonObject &doc)
{
    const Walker walker;
    return walker.blocks(QJsonArray{doc}, 0);
}

} // namespace parley::posthog
