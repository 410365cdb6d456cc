/*
 * gen.h - corpus generator shared by bench/corpus and bench/micro.
 *
 * Two modes:
 *  - real (default): the headlines of a labelled corpus (the uci-news-dev
 *    JSON Lines, gzip or plain) replayed story by story.  Pass 0 emits the
 *    real headlines; each later pass ("replica" r >= 1) renames the content
 *    words through a per-replica permutation of the vocabulary inside blocks
 *    of words of similar frequency (stop words, one-letter words kept), so a
 *    replica keeps the real structure (story sizes, exact copies, near-copies,
 *    word frequencies) while being a new set of stories.
 *  - synthetic: a Zipf vocabulary (English stop words first, then made-up
 *    words), stories with their own topic words and entities, log-normal
 *    story sizes matched to uci-news-dev (median 37, mean about 60).
 *
 * In both modes a fraction of the documents (--edits) is a near-copy of a
 * story headline: outlet suffix " - Source", a word dropped, two words
 * swapped, or truncation with " ...".  A story never crosses a day; its label
 * is "YYYY-MM-DD/<story>/<replica>".  Within a day the documents are shuffled
 * and get increasing times spread over the day, so the output is in time
 * order.  Everything is deterministic from the seed (splitmix64).
 */
#ifndef NC_BENCH_GEN_H
#define NC_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct gen_opts {
    uint64_t n;    /**< documents to generate */
    uint32_t days; /**< days they are spread over (>= 1) */
    uint64_t seed;
    int synthetic;      /**< 1: synthetic vocabulary, no corpus needed */
    const char *corpus; /**< real mode: labelled JSON Lines (.gz or plain) */
    double edits;       /**< probability that a document is an edited near-copy */
    int64_t start;      /**< Unix seconds of day 0, 00:00 UTC */
} gen_opts;

/** The defaults both generators' programs start from: 1M documents, seed 1,
 *  the uci corpus, 10% edited copies, day 0 = 2024-01-01. */
gen_opts gen_opts_default(void);

/**
 * Parse one command-line option of the generator into @p o: --synthetic
 * (a flag), --n/-n N (suffixes k, M, G), --days D, --seed S, --edits P,
 * --start YYYY-MM-DD, --corpus FILE; @p v is the next argument or NULL.
 * @return 0 (not a generator option), 1 (a flag: v unused), 2 (option and
 * value v used), -1 (missing or bad value: a message in @p err).
 */
int gen_parse_option(gen_opts *o, const char *a, const char *v, char *err, size_t errlen);

/** Defaults that depend on other options: days = n / 10000 (1 to 100000). */
void gen_opts_finish(gen_opts *o);

/** One generated document; the strings are borrowed until the next gen_next. */
typedef struct gen_doc {
    uint64_t ordinal; /**< 0-based position in the output */
    const char *title;
    size_t title_len;
    const char *source;
    size_t source_len;
    const char *link;
    size_t link_len;
    const char *story;
    size_t story_len;
    int64_t published; /**< Unix seconds UTC */
} gen_doc;

typedef struct gen gen;

/** @return 0, or -1 with a message in @p err. */
int gen_open(const gen_opts *o, gen **out, char *err, size_t errlen);
/** @return 1 (a document in @p d), 0 (done), -1 (out of memory). */
int gen_next(gen *g, gen_doc *d);
void gen_close(gen *g);

/** The real corpus: documents and stories loaded (0 in synthetic mode). */
size_t gen_corpus_docs(const gen *g);
size_t gen_corpus_stories(const gen *g);

uint64_t gen_splitmix64(uint64_t *state);
/** Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t gen_days_from_civil(int64_t y, unsigned m, unsigned d);
/** "YYYY-MM-DD" of @p day (days since the epoch) into buf[11]. */
void gen_civil_from_days(int64_t day, char buf[11]);

#endif
