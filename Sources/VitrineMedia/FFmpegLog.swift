// FFmpeg prints to stderr through av_log; Vitrine reports errors itself, so only FFmpeg's
// own errors get through by default.
import CFFmpeg

public enum FFmpegLog {
    public static func quiet() { av_log_set_level(AV_LOG_ERROR) }
    public static func silent() { av_log_set_level(AV_LOG_QUIET) }
}
