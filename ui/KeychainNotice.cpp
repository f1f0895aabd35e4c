#include "KeychainNotice.h"

#include "Icons.h"
#include "secrets/KeyStore.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QStyle>

namespace parley {

KeychainNotice::KeychainNotice(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_memoryOnly(new QCheckBox(tr("Keep the key in &memory for this session only"), this))
{
    setObjectName(QStringLiteral("keychainNotice"));
    setFrameShape(QFrame::StyledPanel);
    auto *icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    icon->setPixmap(Icons::get(Icons::Warning).pixmap(iconSize, iconSize));
    m_text->setObjectName(QStringLiteral("keychainNoticeText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_memoryOnly->setObjectName(QStringLiteral("memoryOnlyCheck"));
    auto *grid = new QGridLayout(this);
    grid->addWidget(icon, 0, 0, Qt::AlignTop);
    grid->addWidget(m_text, 0, 1);
    grid->addWidget(m_memoryOnly, 1, 1);
    grid->setColumnStretch(1, 1);
    hide();
}

void KeychainNotice::showFor(const KeyStore *keys)
{
    const bool unavailable = keys && keys->backend() == KeyStore::Backend::Unavailable;
    if (unavailable) {
        // The store's message says what is missing and why; add our promise.
        QString text = keys->backendMessage();
        if (text.isEmpty())
            text = tr("No keychain is available on this system, so the API key cannot be "
                      "stored.");
        text += QLatin1Char(' ') + tr("Parley never writes keys to disk.");
        m_text->setText(text);
    }
    setVisible(unavailable);
}

bool KeychainNotice::keepsInMemory() const
{
    return isVisible() && m_memoryOnly->isChecked();
}

} // namespace parley
