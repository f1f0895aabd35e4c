#pragma once

#include <QFrame>

class QCheckBox;
class QLabel;

namespace parley {

class KeyStore;

// The workspace dialog's notice that no keychain can store the key, with the choice to keep
// it in memory for this session. Hidden while the keychain works.
class KeychainNotice : public QFrame
{
    Q_OBJECT
public:
    explicit KeychainNotice(QWidget *parent = nullptr);

    // Shows or hides the notice for what `keys` (may be null) says of its backend now.
    void showFor(const KeyStore *keys);
    // The user chose to keep the key in memory (only while the notice shows).
    bool keepsInMemory() const;
    QCheckBox *memoryOnly() const { return m_memoryOnly; }

private:
    QLabel *m_text;
    QCheckBox *m_memoryOnly;
};

} // namespace parley
