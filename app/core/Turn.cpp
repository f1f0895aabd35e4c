#include "core/Turn.h"

namespace parley {

QString Turn::plainText() const
{
    QString out;
    for (const Fragment &f : fragments) {
        if (f.kind != Fragment::Kind::Text || f.text.isEmpty())
            continue;
        if (!out.isEmpty())
            out += QLatin1Char('\n');
        out += f.text;
    }
    return out;
}

QString Turn::roleName(Role role)
{
    switch (role) {
    case Role::User:
        return QStringLiteral("user");
    case Role::Assistant:
        return QStringLiteral("assistant");
    case Role::Tool:
        return QStringLiteral("tool");
    case Role::System:
        return QStringLiteral("system");
    case Role::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString Turn::stateName(State state)
{
    switch (state) {
    case State::Done:
        return QStringLiteral("done");
    case State::InProgress:
        return QStringLiteral("in-progress");
    case State::Stopped:
        return QStringLiteral("stopped");
    case State::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("done");
}

} // namespace parley
