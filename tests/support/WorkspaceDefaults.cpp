#include "support/WorkspaceDefaults.h"

namespace parley::test {

QMap<QString, QString> defaultParams(const PlatformInfo &info, const QMap<QString, QString> &known)
{
    QMap<QString, QString> params;
    for (const WorkspaceField &field : info.fields) {
        QString value = known.value(field.key);
        if (value.isEmpty())
            value = field.defaultValue;
        if (value.isEmpty() && !field.choices.isEmpty())
            value = field.choices.constFirst();
        if (value.isEmpty() && field.required)
            value = field.placeholder;
        if (!value.isEmpty())
            params.insert(field.key, value);
    }
    return params;
}

} // namespace parley::test
