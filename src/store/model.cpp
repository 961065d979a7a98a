// Enum names, timestamps, UUIDs and shuffle hashes of the data model.
#include "store/model.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace spanloop::store {

Timestamp now_timestamp() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_timestamp(Timestamp t) {
  std::int64_t secs = t / 1000000;
  std::int64_t micros = t % 1000000;
  if (micros < 0) {
    micros += 1000000;
    --secs;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Time order keeps
// inserts into the id indexes near their right edge instead of at random pages, which matters
// once a table holds millions of rows; clients still see an opaque UUID.
std::string new_uuid() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  const auto ms = static_cast<std::uint64_t>(now_timestamp() / 1000);
  const std::uint64_t r1 = rng(), r2 = rng();
  std::array<unsigned char, 16> b{};
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  for (int i = 6; i < 8; ++i) b[i] = static_cast<unsigned char>(r1 >> (8 * i));
  for (int i = 8; i < 16; ++i) b[i] = static_cast<unsigned char>(r2 >> (8 * (i - 8)));
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x70);  // version 7
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0F]);
  }
  return out;
}

namespace {
template <typename E, std::size_t N>
std::optional<E> parse_enum(std::string_view s, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}
constexpr std::array<std::string_view, 3> kRoles{"owner", "admin", "annotator"};
constexpr std::array<std::string_view, 2> kDatasetStatuses{"draft", "ready"};
constexpr std::array<std::string_view, 2> kRecordStatuses{"pending", "completed"};
constexpr std::array<std::string_view, 3> kResponseStatuses{"draft", "submitted", "discarded"};
constexpr std::array<std::string_view, 5> kQuestionTypes{"text", "rating", "label_selection",
                                                         "multi_label_selection", "span"};
constexpr std::array<std::string_view, 3> kMetadataTypes{"terms", "integer", "float"};
constexpr std::array<std::string_view, 2> kSuggestionTypes{"model", "human"};
}  // namespace

std::string_view to_string(Role v) {
  return kRoles[static_cast<int>(v)];
}
std::string_view to_string(DatasetStatus v) {
  return kDatasetStatuses[static_cast<int>(v)];
}
std::string_view to_string(RecordStatus v) {
  return kRecordStatuses[static_cast<int>(v)];
}
std::string_view to_string(ResponseStatus v) {
  return kResponseStatuses[static_cast<int>(v)];
}
std::string_view to_string(QuestionType v) {
  return kQuestionTypes[static_cast<int>(v)];
}
std::string_view to_string(MetadataType v) {
  return kMetadataTypes[static_cast<int>(v)];
}
std::string_view to_string(SuggestionType v) {
  return kSuggestionTypes[static_cast<int>(v)];
}

std::optional<Role> parse_role(std::string_view s) {
  return parse_enum<Role>(s, kRoles);
}
std::optional<DatasetStatus> parse_dataset_status(std::string_view s) {
  return parse_enum<DatasetStatus>(s, kDatasetStatuses);
}
std::optional<RecordStatus> parse_record_status(std::string_view s) {
  return parse_enum<RecordStatus>(s, kRecordStatuses);
}
std::optional<ResponseStatus> parse_response_status(std::string_view s) {
  return parse_enum<ResponseStatus>(s, kResponseStatuses);
}
std::optional<QuestionType> parse_question_type(std::string_view s) {
  return parse_enum<QuestionType>(s, kQuestionTypes);
}
std::optional<MetadataType> parse_metadata_type(std::string_view s) {
  return parse_enum<MetadataType>(s, kMetadataTypes);
}
std::optional<SuggestionType> parse_suggestion_type(std::string_view s) {
  return parse_enum<SuggestionType>(s, kSuggestionTypes);
}

// The variant alternatives are declared in QuestionType order.
QuestionType question_type(const QuestionSettings& settings) {
  return static_cast<QuestionType>(settings.index());
}
MetadataType metadata_type(const MetadataSettings& settings) {
  return static_cast<MetadataType>(settings.index());
}

namespace {
std::uint32_t fnv1a32(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}
}  // namespace

std::uint32_t shuffle_key(std::string_view record_id) {
  return fnv1a32(record_id);
}
// A distinct salt so a user whose id equals a record id does not start exactly on that record.
std::uint32_t user_shuffle_offset(std::string_view user_id) {
  return fnv1a32(std::string("user:") + std::string(user_id));
}
std::uint32_t user_shuffle_mix(std::string_view user_id) {
  return fnv1a32(std::string("mix:") + std::string(user_id));
}
QueuePosition queue_start(std::string_view user_id, std::int64_t first_seq, std::int64_t last_seq) {
  const std::uint32_t offset = user_shuffle_offset(user_id);
  constexpr int kFractionBits = 32 - kQueueBucketBits;
  const auto fraction = static_cast<unsigned __int128>(offset & ((1u << kFractionBits) - 1));
  const auto span =
      static_cast<unsigned __int128>(std::max<std::int64_t>(0, last_seq - first_seq + 1));
  return {queue_bucket(offset),
          first_seq + static_cast<std::int64_t>((span * fraction) >> kFractionBits)};
}
std::uint32_t shuffle_rank(std::uint32_t key, std::string_view user_id) {
  const std::uint32_t multiplier = user_shuffle_offset(user_id) | 1u;  // odd: a bijection mod 2^32
  return (key * multiplier) ^ user_shuffle_mix(user_id);
}

}  // namespace spanloop::store
