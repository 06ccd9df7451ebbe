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
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

static inline int vitrine_averror(int posix_errno) { return AVERROR(posix_errno); }
static inline int vitrine_averror_eof(void) { return AVERROR_EOF; }
static inline int vitrine_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t vitrine_nopts(void) { return AV_NOPTS_VALUE; }
static inline AVRational vitrine_time_base_q(void) { return AV_TIME_BASE_Q; }

#endif
