#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace parley::cli {

// stdout for results, stderr for errors. An error is always one line a person can read,
// prefixed with the program name, with the API key (when known) masked wherever a
// platform might have echoed it.
class Console
{
public:
    Console();

    QFile *out() { return &m_out; }
    void error(const QString &message);
    // A progress line on stderr ("Thinking…"), never mixed into the results on stdout.
    void status(const QString &message);
    // "parley-cli: warning: <message>" on stderr: something was left out or could not be
    // read, and the command goes on.
    void warning(const QString &message);
    // Text from a server for stdout: terminal control characters removed (newlines and
    // tabs kept), so a reply cannot move the cursor or change the terminal.
    static QString printable(const QString &text);
    void setSecret(const QByteArray &secret) { m_secret = secret; }

    // `text` on one line, with the secret masked; exposed for tests of the CLI itself.
    QString sanitize(const QString &text) const;

private:
    QFile m_out;
    QFile m_err;
    QByteArray m_secret;
};

} // namespace parley::cli
