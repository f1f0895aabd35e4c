#pragma once

#include <QString>

namespace parley {

// How a conversation open in the window can be followed while it runs
// (Provider::followPlan()).
struct FollowPlan
{
    enum class Way
    {
        None,   // nothing to follow: `why` says why, in words for the window
        Poll,   // fetch it again at a pace that backs off while nothing changes
        Attach, // Provider::attachReply() once per open; poll where the platform refuses
    };
    Way way = Way::None;
    QString why;

    static FollowPlan none(QString why) { return {Way::None, std::move(why)}; }
    static FollowPlan poll() { return {Way::Poll, {}}; }
    static FollowPlan attach() { return {Way::Attach, {}}; }
};

} // namespace parley
