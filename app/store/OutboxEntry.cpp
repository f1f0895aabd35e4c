#include "store/OutboxEntry.h"

using namespace Qt::StringLiterals;

namespace parley {

QString OutboxEntry::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return u"pending"_s;
    case State::Sending:
        return u"sending"_s;
    case State::Unknown:
        return u"unknown"_s;
    case State::Sent:
        return u"sent"_s;
    case State::Failed:
        return u"failed"_s;
    }
    return u"pending"_s;
}

std::optional<OutboxEntry::State> OutboxEntry::stateFromName(const QString &name)
{
    for (State s : {State::Pending, State::Sending, State::Unknown, State::Sent, State::Failed}) {
        if (stateName(s) == name)
            return s;
    }
    return std::nullopt;
}

} // namespace parley
