#pragma once

#include <QCoreApplication>
#include <QString>

namespace parley {

// tr() for the free functions of a file: `const TranslationContext tr{"parley::posthog"};`
// in its anonymous namespace, then `tr("text")` as in a class.
struct TranslationContext
{
    const char *context;
    QString operator()(const char *text, int n = -1) const
    {
        return QCoreApplication::translate(context, text, nullptr, n);
    }
};

} // namespace parley
