#include "models/ConversationRows.h"

#include <algorithm>
#include <cstring>

namespace parley {

// A row's texts, in one allocation: a byte whose bit f says field f is Latin-1, the length
// of each of the FieldCount fields in characters (7 bits a byte, high bit = more bytes
// follow), then the characters of each field in order, a UTF-16 field at an even offset.
// A pooled field has length 0 here.

namespace {

constexpr quint32 kMaxPooled = 65536;

bool fitsLatin1(QStringView s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c.unicode() < 256; });
}

size_t putLength(char *out, size_t length)
{
    size_t n = 0;
    do {
        const uchar low = uchar(length & 0x7f);
        length >>= 7;
        out[n++] = char(length ? low | 0x80 : low);
    } while (length);
    return n;
}

size_t getLength(const char *in, size_t *length)
{
    size_t value = 0;
    size_t n = 0;
    int shift = 0;
    for (;;) {
        const uchar b = uchar(in[n++]);
        value |= size_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    *length = value;
    return n;
}

qint64 toMs(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : ConversationRows::kNoTime;
}

QDateTime fromMs(qint64 ms)
{
    return ms == ConversationRows::kNoTime ? QDateTime()
                                           : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// Every field of a texts block, in order.
void decode(const char *block, RowText out[ConversationRows::FieldCount])
{
    if (!block) {
        std::fill(out, out + ConversationRows::FieldCount, RowText());
        return;
    }
    const uchar latin1 = uchar(block[0]);
    size_t lengths[ConversationRows::FieldCount];
    size_t at = 1;
    for (size_t &length : lengths)
        at += getLength(block + at, &length);
    for (int f = 0; f < ConversationRows::FieldCount; ++f) {
        if (latin1 & (1u << f)) {
            out[f] = QLatin1String(block + at, qsizetype(lengths[f]));
            at += lengths[f];
        } else {
            at += at & 1;
            out[f] =
                QStringView(reinterpret_cast<const char16_t *>(block + at), qsizetype(lengths[f]));
            at += 2 * lengths[f];
        }
    }
}

std::unique_ptr<char[]> encode(const QString *fields[ConversationRows::FieldCount])
{
    uchar latin1 = 0;
    size_t size = 1;
    char scratch[10];
    for (int f = 0; f < ConversationRows::FieldCount; ++f) {
        const size_t length = size_t(fields[f]->size());
        size += putLength(scratch, length);
        if (fitsLatin1(*fields[f]))
            latin1 |= uchar(1u << f);
    }
    if (size == 1 + ConversationRows::FieldCount &&
        std::all_of(fields, fields + ConversationRows::FieldCount,
                    [](const QString *s) { return s->isEmpty(); }))
        return nullptr;
    for (int f = 0; f < ConversationRows::FieldCount; ++f) {
        const size_t length = size_t(fields[f]->size());
        if (latin1 & (1u << f)) {
            size += length;
        } else {
            size += size & 1;
            size += 2 * length;
        }
    }
    std::unique_ptr<char[]> block(new char[size]);
    block[0] = char(latin1);
    size_t at = 1;
    for (int f = 0; f < ConversationRows::FieldCount; ++f)
        at += putLength(block.get() + at, size_t(fields[f]->size()));
    for (int f = 0; f < ConversationRows::FieldCount; ++f) {
        const QString &s = *fields[f];
        if (latin1 & (1u << f)) {
            for (const QChar c : s)
                block[at++] = char(uchar(c.unicode()));
        } else {
            at += at & 1;
            std::memcpy(block.get() + at, s.utf16(), 2 * size_t(s.size()));
            at += 2 * size_t(s.size());
        }
    }
    return block;
}

} // namespace

ConversationRows::ConversationRows()
{
    clear();
}

ConversationRows::~ConversationRows() = default;

void ConversationRows::clear()
{
    m_records.clear();
    m_records.shrink_to_fit();
    m_pool.assign(1, QString());
    m_poolIndex.clear();
}

Conversation ConversationRows::at(int row) const
{
    const Record &r = m_records[size_t(row)];
    RowText texts[FieldCount];
    decode(r.texts.get(), texts);
    Conversation c;
    c.id = texts[Id].toString();
    c.title = texts[Title].toString();
    QString *pooledFields[3] = {&c.status, &c.kind, &c.owner};
    for (int i = 0; i < 3; ++i)
        *pooledFields[i] = r.pooled[i] ? m_pool[r.pooled[i]] : texts[Status + i].toString();
    c.createdAt = fromMs(r.created);
    c.updatedAt = fromMs(r.updated);
    c.turnCount = r.turnCount;
    c.side = r.side;
    return c;
}

RowText ConversationRows::text(int row, Field field) const
{
    const Record &r = m_records[size_t(row)];
    if (field >= Status && r.pooled[field - Status])
        return RowText(m_pool[r.pooled[field - Status]]);
    RowText all[FieldCount];
    decode(r.texts.get(), all);
    return all[field];
}

void ConversationRows::texts(int row, RowText out[FieldCount]) const
{
    const Record &r = m_records[size_t(row)];
    decode(r.texts.get(), out);
    for (int i = 0; i < 3; ++i) {
        if (r.pooled[i])
            out[Status + i] = RowText(m_pool[r.pooled[i]]);
    }
}

qint64 ConversationRows::timeMs(int row, bool updated) const
{
    const Record &r = m_records[size_t(row)];
    return updated ? r.updated : r.created;
}

void ConversationRows::append(const Conversation &c)
{
    m_records.push_back(make(c));
}

void ConversationRows::insert(int at, const Conversation *first, const Conversation *last)
{
    std::vector<Record> made;
    made.reserve(size_t(last - first));
    for (const Conversation *c = first; c != last; ++c)
        made.push_back(make(*c));
    m_records.insert(m_records.begin() + at, std::make_move_iterator(made.begin()),
                     std::make_move_iterator(made.end()));
}

void ConversationRows::erase(int first, int last)
{
    m_records.erase(m_records.begin() + first, m_records.begin() + last);
}

void ConversationRows::set(int row, const Conversation &c)
{
    m_records[size_t(row)] = make(c);
}

void ConversationRows::rotate(int first, int middle, int last)
{
    std::rotate(m_records.begin() + first, m_records.begin() + middle, m_records.begin() + last);
}

ConversationRows::Record ConversationRows::make(const Conversation &c)
{
    Record r;
    static const QString none;
    const QString *inRow[FieldCount] = {&c.id, &c.title, &none, &none, &none};
    const QString *shared[3] = {&c.status, &c.kind, &c.owner};
    for (int i = 0; i < 3; ++i) {
        r.pooled[i] = pooled(*shared[i]);
        if (!r.pooled[i])
            inRow[Status + i] = shared[i];
    }
    r.texts = encode(inRow);
    r.side = c.side;
    r.created = toMs(c.createdAt);
    r.updated = toMs(c.updatedAt);
    r.turnCount = c.turnCount;
    return r;
}

quint32 ConversationRows::pooled(const QString &value)
{
    if (value.isEmpty())
        return 0;
    const auto it = m_poolIndex.constFind(value);
    if (it != m_poolIndex.constEnd())
        return it.value();
    if (m_pool.size() > kMaxPooled)
        return 0;
    const quint32 index = quint32(m_pool.size());
    m_pool.push_back(value);
    m_poolIndex.insert(value, index);
    return index;
}

} // namespace parley
