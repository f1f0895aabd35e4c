#pragma once

#include "core/ApiError.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace parley {

struct HttpResponse
{
    int status = 0;  // 0 when no HTTP status arrived
    QByteArray body; // empty for streamed requests (chunks went to the chunk callback)
    QByteArray contentType;
    QUrl url; // the final URL (redacted of nothing: URLs never carry keys here)
    QList<QPair<QByteArray, QByteArray>> headers;
    // Transport failure, or HTTP >= 400 mapped to a kind with the platform's code and
    // detail taken from the body (error.message / error / detail / message / raw text).
    ApiError error;

    bool ok() const { return !error.isError(); }
    QByteArray header(const QByteArray &name) const; // case-insensitive

    // "application/json" from "Application/JSON; charset=utf-8": lower case, no parameters.
    static QByteArray mediaType(const QByteArray &contentType);
    // application/json, text/json and any */*+json (application/problem+json...).
    static bool isJsonType(const QByteArray &contentType);
};

} // namespace parley
