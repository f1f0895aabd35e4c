#include "cli/MarkdownTranscript.h"

#include "core/FragmentContent.h"
#include "core/MarkdownText.h"
#include "core/TranslationContext.h"

#include "providers/JsonFields.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace parley::cli {

namespace {

const TranslationContext tr{"parley::cli::MarkdownTranscript"};

// Text for one line of the summary list: no line breaks, so that the list stays a list.
QString oneLine(const QString &text)
{
    QString out = text;
    out.replace(u"\r\n"_s, u" "_s);
    out.replace(u'\n', u' ');
    out.replace(u'\r', u' ');
    return out.trimmed();
}

void addItem(QString &out, const QString &label, const QString &value)
{
    if (value.isEmpty())
        return;
    out += u"- **"_s + label + u":** "_s + oneLine(value) + u'\n';
}

QString roleTitle(Turn::Role role)
{
    switch (role) {
    case Turn::Role::User:
        return tr("User");
    case Turn::Role::Assistant:
        return tr("Assistant");
    case Turn::Role::Tool:
        return tr("Tool");
    case Turn::Role::System:
        return tr("System");
    case Turn::Role::Unknown:
        break;
    }
    return tr("Unknown");
}

QString stateNote(const Turn &turn)
{
    switch (turn.state) {
    case Turn::State::Done:
        return {};
    case Turn::State::InProgress:
        return tr("in progress");
    case Turn::State::Stopped:
        return tr("stopped");
    case Turn::State::Error:
        return tr("failed");
    }
    return {};
}

// A named part of a structured message: "**Plan:** text", or the label over a block of
// several lines.
QString labelled(const QString &label, const QString &text)
{
    if (!text.contains(u'\n'))
        return u"**"_s + label + u":** "_s + text.trimmed() + u'\n';
    return u"**"_s + label + u":**\n\n"_s + text + u'\n';
}

// A step, task or substep as a list item: "- [x] Collect events *(completed)*".
QString listItem(const Fragment &f)
{
    QString line = u"- "_s;
    if (!f.status.isEmpty()) {
        const bool done = content::progressOf(f.status) == content::Progress::Done;
        line += done ? u"[x] "_s : u"[ ] "_s;
    }
    line += oneLine(f.text);
    if (!f.status.isEmpty())
        line += u" *("_s + content::statusText(f.status) + u")*"_s;
    return line + u'\n';
}

bool inList(const Fragment &f)
{
    return content::isListItem(f) || content::isItemDetail(f);
}

QString namedText(const Fragment &f)
{
    const QString label = content::label(f.name);
    if (content::isListItem(f))
        return listItem(f);
    if (content::isItemDetail(f))
        return u"  - **"_s + label + u":** "_s + oneLine(f.text) + u'\n';
    if (f.name == content::kSql)
        return u"**"_s + label + u":**\n"_s + markdownFence(f.text, u"sql"_s);
    if (f.name == content::kNotebook) // its headings under the turn's "###"
        return labelled(label, markdownDemoteHeadings(f.text, 3));
    return labelled(label, f.text);
}

QString fragmentText(const Fragment &f)
{
    if (!content::label(f.name).isEmpty() &&
        (f.kind == Fragment::Kind::Text || f.kind == Fragment::Kind::Other))
        return namedText(f);
    const QString name = f.name.isEmpty() ? QString() : u" `"_s + oneLine(f.name) + u'`';
    switch (f.kind) {
    case Fragment::Kind::Text:
        return f.text + u'\n';
    case Fragment::Kind::ToolCall:
        return u"*"_s + tr("Tool call") + u"*"_s + name + u'\n' +
               (f.text.isEmpty() ? QString() : markdownFence(f.text, u"json"_s));
    case Fragment::Kind::ToolResult:
        return u"*"_s + (f.failed ? tr("Tool result (failed)") : tr("Tool result")) + u"*"_s +
               name + u'\n' + (f.text.isEmpty() ? QString() : markdownFence(f.text));
    case Fragment::Kind::File:
        return u"*"_s + tr("File") + u"*"_s + name + u'\n' +
               (f.text.isEmpty() ? QString() : oneLine(f.text) + u'\n');
    case Fragment::Kind::Error:
        return u"> **"_s + tr("Error") + u":** "_s + oneLine(f.text) + u'\n';
    case Fragment::Kind::Other:
        break;
    }
    return u"*"_s + (f.name.isEmpty() ? tr("Other content") : oneLine(f.name)) + u"*\n"_s +
           (f.text.isEmpty() ? QString() : markdownFence(f.text));
}

// A turn's fragments, a blank line between them except inside a list of steps.
QString fragmentsText(const QList<Fragment> &fragments)
{
    QString out;
    for (qsizetype i = 0; i < fragments.size(); ++i) {
        const Fragment &f = fragments.at(i);
        if (i > 0 && !(inList(fragments.at(i - 1)) && inList(f)))
            out += u'\n';
        out += fragmentText(f);
    }
    return fragments.isEmpty() ? out : out + u'\n';
}

// The line that stands in for a message Parley could not read.
QString unreadableLine(const Turn &turn)
{
    const QString kind = turn.typeLabel.isEmpty() ? u"message"_s : oneLine(turn.typeLabel);
    return u"unreadable "_s + kind + u' ' + (turn.id.isEmpty() ? u"?"_s : turn.id) + u": "_s +
           oneLine(turn.unreadable) + u"\n\n"_s;
}

} // namespace

QString markdownFence(const QString &text, const QString &info)
{
    return parley::markdownFence(text, info);
}

QString markdownApprovals(const QList<Approval> &approvals)
{
    if (approvals.isEmpty())
        return {};
    QString out = u"\n## "_s + tr("Approvals") + u"\n\n"_s;
    for (const Approval &a : approvals) {
        out += u"- `"_s + a.id + u"` · **"_s + oneLine(a.tool) + u"** · "_s + a.statusName();
        if (!a.preview.trimmed().isEmpty())
            out += u" — "_s + oneLine(a.preview);
        out += u'\n';
    }
    return out;
}

QString markdownTranscript(const ConversationDetail &detail, const QString &platform)
{
    const Conversation &c = detail.summary;
    QString out;
    const QString title = oneLine(c.title);
    out += u"# "_s + (title.isEmpty() ? tr("Conversation %1").arg(c.id) : title) + u"\n\n"_s;

    addItem(out, tr("ID"), u'`' + c.id + u'`');
    addItem(out, tr("Platform"), platform);
    addItem(out, tr("Status"), c.status);
    addItem(out, tr("Kind"), c.kind);
    addItem(out, tr("Owner"), c.owner);
    addItem(out, tr("Created"), JsonFields::toIsoUtc(c.createdAt));
    addItem(out, tr("Updated"), JsonFields::toIsoUtc(c.updatedAt));
    if (c.turnCount >= 0)
        addItem(out, tr("Turns"), QString::number(c.turnCount));
    for (const Property &p : detail.properties)
        addItem(out, p.label, p.value);

    out += markdownApprovals(detail.approvals);
    out += u"\n## "_s + tr("Transcript") + u"\n\n"_s;
    if (!detail.hasTranscript) {
        out += u'_' +
               oneLine(detail.transcriptNote.isEmpty() ? tr("This platform offers no transcript.")
                                                       : detail.transcriptNote) +
               u"_\n"_s;
        return out;
    }
    if (detail.turns.isEmpty()) {
        out += u'_' + tr("No messages.") + u"_\n"_s;
        return out;
    }

    for (const Turn &turn : detail.turns) {
        if (turn.isUnreadable()) {
            out += unreadableLine(turn);
            continue;
        }
        QString heading = u"### "_s + roleTitle(turn.role);
        if (turn.timestamp.isValid())
            heading += u" · "_s + JsonFields::toIsoUtc(turn.timestamp);
        QStringList notes;
        if (!turn.typeLabel.isEmpty())
            notes << oneLine(turn.typeLabel);
        const QString state = stateNote(turn);
        if (!state.isEmpty())
            notes << state;
        if (!notes.isEmpty())
            heading += u" ("_s + notes.join(u", "_s) + u')';
        out += heading + u"\n\n"_s;
        out += fragmentsText(turn.fragments);
        if (!turn.errorDetail.isEmpty())
            out += u"> **"_s + tr("Error") + u":** "_s + oneLine(turn.errorDetail) + u"\n\n"_s;
    }
    return out;
}

} // namespace parley::cli
