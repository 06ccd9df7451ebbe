// The FFmpeg headers Vitrine uses, plus inline functions for the macros Swift cannot import.
#ifndef VITRINE_CFFMPEG_SHIM_H
#define VITRINE_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/parseutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

static inline int vitrine_averror(int posix_errno) { return AVERROR(posix_errno); }
static inline int vitrine_averror_eof(void) { return AVERROR_EOF; }
static inline int vitrine_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t vitrine_nopts(void) { return AV_NOPTS_VALUE; }
static inline AVRational vitrine_time_base_q(void) { return AV_TIME_BASE_Q; }

/* Decode-error counting. A decoder context's `opaque` may point at a counter made by
 * vitrine_counter_new(); FFmpeg's log callback bumps it for every error-level message that
 * context logs (frame threads copy `opaque`, so their messages count too). Concealed damage is
 * only ever reported this way. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static inline void *vitrine_counter_new(void) {
    atomic_int *counter = malloc(sizeof *counter);
    if (counter) atomic_init(counter, 0);
    return counter;
}
static inline int vitrine_counter_load(void *counter) { return atomic_load((atomic_int *)counter); }
static inline void vitrine_counter_free(void *counter) { free(counter); }

static void vitrine_log_callback(void *avcl, int level, const char *fmt, va_list vl) {
    if (avcl && level <= AV_LOG_ERROR) {
        const AVClass *cls = *(const AVClass **)avcl;
        if (cls && cls->class_name && strcmp(cls->class_name, "AVCodecContext") == 0) {
            AVCodecContext *ctx = (AVCodecContext *)avcl;
            if (ctx->opaque && ctx->codec && av_codec_is_decoder(ctx->codec))
                atomic_fetch_add((atomic_int *)ctx->opaque, 1);
        }
    }
    av_log_default_callback(avcl, level, fmt, vl);
}
static inline void vitrine_install_log_callback(void) { av_log_set_callback(vitrine_log_callback); }

#endif
