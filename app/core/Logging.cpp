#include "core/Logging.h"

Q_LOGGING_CATEGORY(lcNet, "parley.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProviders, "parley.providers", QtInfoMsg)
Q_LOGGING_CATEGORY(lcModels, "parley.models", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "parley.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "parley.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSandbox, "parley.sandbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "parley.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCli, "parley.cli", QtInfoMsg)
