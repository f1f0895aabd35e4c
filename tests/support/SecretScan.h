#pragma once

// Looking for a secret where it must not be: in bytes (a log, a process's output) and in
// every regular file below a folder. The secret is looked for as it is and in the encodings
// a careless write would use: base64 (standard and URL alphabet, at each of the three
// alignments it can take inside a longer base64 text), percent-encoding, hex (both cases)
// and UTF-16 (both byte orders). Tests generate a distinctive secret per run, so a hit is
// never someone else's data, and prove the scanner with a planted copy first.

#include <QByteArray>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <utility>

namespace parley::test {

// A random key nobody else uses: letters and digits with a '+' and a '/' inside, so that
// its percent-encoded and base64 forms differ from the plain one.
inline QByteArray distinctiveSecret(const QByteArray &prefix = "plk_")
{
    static constexpr char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QByteArray key = prefix;
    for (int i = 0; i < 30; ++i) {
        key += kAlphabet[QRandomGenerator::system()->bounded(int(sizeof(kAlphabet) - 1))];
        if (i == 9)
            key += '+';
        else if (i == 19)
            key += '/';
    }
    return key;
}

// (name of the form, bytes to look for)
using SecretForms = QList<std::pair<QByteArray, QByteArray>>;

inline SecretForms secretForms(const QByteArray &secret)
{
    SecretForms forms;
    forms.append({"plain", secret});
    // Base64 of the secret inside a longer text: with 0, 1 or 2 bytes before it, the
    // characters that encode only the secret's own bytes (the first group is dropped when
    // it mixes in a byte before, the last group always, as it may mix in a byte after).
    for (int lead = 0; lead < 3; ++lead) {
        const QByteArray padded = QByteArray(lead, 'x') + secret;
        for (const auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
            const QByteArray b64 = padded.toBase64(options);
            const qsizetype from = lead == 0 ? 0 : 4;
            const QByteArray core = b64.mid(from, b64.size() - from - 4);
            if (core.size() >= 16) {
                forms.append(
                    {"base64" + QByteArray(options == QByteArray::Base64UrlEncoding ? "url" : "") +
                         "+" + QByteArray::number(lead),
                     core});
            }
        }
    }
    const QByteArray percent = QUrl::toPercentEncoding(QString::fromLatin1(secret));
    forms.append({"percent", percent});
    forms.append({"percent-lower", percent.toLower()});
    forms.append({"hex", secret.toHex()});
    forms.append({"HEX", secret.toHex().toUpper()});
    const QString text = QString::fromLatin1(secret);
    QByteArray le;
    QByteArray be;
    for (const QChar c : text) {
        le += char(c.unicode() & 0xff);
        le += char(c.unicode() >> 8);
        be += char(c.unicode() >> 8);
        be += char(c.unicode() & 0xff);
    }
    forms.append({"utf16le", le});
    forms.append({"utf16be", be});
    return forms;
}

// The names of the forms found in `bytes`.
inline QList<QByteArray> formsIn(const QByteArray &bytes, const SecretForms &forms)
{
    QList<QByteArray> found;
    for (const auto &[name, needle] : forms) {
        if (!needle.isEmpty() && bytes.contains(needle))
            found << name;
    }
    return found;
}

// "path: form, form" for every regular file below `root` (symbolic links, sockets and
// FIFOs are not followed or opened) that holds the secret in some form. `scanned`, when
// given, counts the files read.
inline QStringList filesWithSecret(const QString &root, const SecretForms &forms,
                                   int *scanned = nullptr)
{
    QStringList hits;
    if (root.isEmpty() || !QFileInfo(root).isDir())
        return hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        if (scanned)
            ++*scanned;
        const QList<QByteArray> found = formsIn(file.readAll(), forms);
        if (!found.isEmpty())
            hits << path + QStringLiteral(": ") + QString::fromLatin1(found.join(", "));
    }
    return hits;
}

} // namespace parley::test
