using Microsoft.Extensions.Logging;

namespace AtomicFiles.Logging;

/// <summary>
/// Every message the library logs, source-generated so a disabled level costs one check and no allocation.
/// Event ids are stable: users filter and alert on them.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Committed {Path}: {Bytes} bytes, file flush {FlushMilliseconds:F3} ms, rename {RenameMilliseconds:F3} ms, directory flush {DirectoryFlushMilliseconds:F3} ms")]
    internal static partial void Committed(ILogger logger, string path, long bytes, double flushMilliseconds, double renameMilliseconds, double directoryFlushMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Rolled back {Path}: the temp file {TempPath} was removed and the target left untouched")]
    internal static partial void RolledBack(ILogger logger, string path, string tempPath);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Replacing {Path} failed with Windows error {Error}; retry {Attempt} in {DelayMilliseconds} ms (another process holds the file)")]
    internal static partial void ReplaceRetry(ILogger logger, string path, int error, int attempt, int delayMilliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "The new content of {Path} is in place, but flushing its directory failed: it may not survive a power cut")]
    internal static partial void DirectoryFlushFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Could not remove the temp file {TempPath}; AtomicFile.Recover removes such leftovers")]
    internal static partial void TempCleanupFailed(ILogger logger, Exception exception, string tempPath);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Could not give {Path} the owner {Uid}:{Gid} of the file it replaces (errno {Errno}); it keeps the writer's owner")]
    internal static partial void OwnerNotPreserved(ILogger logger, string path, uint uid, uint gid, int errno);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Committing {Path} failed; the target is unchanged")]
    internal static partial void CommitFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Removed the orphaned temp file {TempPath}: its writer died before committing")]
    internal static partial void OrphanRemoved(ILogger logger, string tempPath);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Kept the temp file {TempPath}: a live writer holds it")]
    internal static partial void TempInUse(ILogger logger, string tempPath);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Could not check the temp file {TempPath}: access denied; it was left as it is")]
    internal static partial void TempNotAccessible(ILogger logger, Exception exception, string tempPath);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Committed a transaction in {Root}: {Replaced} files replaced, {Deleted} deleted, in {Milliseconds:F3} ms")]
    internal static partial void TransactionCommitted(ILogger logger, string root, int replaced, int deleted, double milliseconds);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Rolled back a transaction in {Root}: its staged temps and journal were removed")]
    internal static partial void TransactionRolledBack(ILogger logger, string root);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Recovered the interrupted transaction journal {JournalPath}: completed {Completed} (false: rolled back)")]
    internal static partial void TransactionRecovered(ILogger logger, string journalPath, bool completed);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Could not give {Path} the group {Gid} of the file it replaces (errno {Errno}); its group permissions are removed, so no one reads it who could not read the old file")]
    internal static partial void GroupNotPreserved(ILogger logger, string path, uint gid, int errno);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Published {Path}, but could not remove the temp's second name {TempPath}; Recover removes it")]
    internal static partial void PublishedTempNameLeft(ILogger logger, Exception exception, string path, string tempPath);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "Left the transaction journal {JournalPath} alone: it {Because}. This user could not have written it, so it is never applied nor rolled back; if it is another user's interrupted transaction, its owner recovers it")]
    internal static partial void JournalUntrusted(ILogger logger, string journalPath, string because);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "The transaction journal {JournalPath} is damaged ({Defect}): it was rolled back, not applied, and removed")]
    internal static partial void JournalDamaged(ILogger logger, string journalPath, string defect);

    [LoggerMessage(EventId = 32, Level = LogLevel.Error,
        Message = "Completing the transaction of {JournalPath}: could not {Operation} {Path}, which is impossible now; it was skipped and the rest completed")]
    internal static partial void RecoveryOperationSkipped(ILogger logger, Exception? exception, string journalPath, string operation, string path);

    [LoggerMessage(EventId = 33, Level = LogLevel.Error,
        Message = "Completing the transaction of {JournalPath}: {TempPath} was not published over {Path}: {Because}, so it is not provably the temp this user staged")]
    internal static partial void RecoveryTempNotOurs(ILogger logger, string journalPath, string tempPath, string path, string because);

    [LoggerMessage(EventId = 34, Level = LogLevel.Error,
        Message = "The transaction of {JournalPath} had reached its commit point, but the staged content of {Path} ({TempPath}) no longer matches its hash: torn by a power cut. Nothing had been applied yet, so the whole transaction was rolled back and every file keeps its old content")]
    internal static partial void RecoveryRolledBackDamaged(ILogger logger, string journalPath, string path, string tempPath);

    [LoggerMessage(EventId = 35, Level = LogLevel.Error,
        Message = "Completing the transaction of {JournalPath}: the staged content of {Path} ({TempPath}) no longer matches its hash: torn by a power cut after part of the transaction was applied. It was not published and was removed; {Path} keeps its old content while the transaction's other files are new")]
    internal static partial void RecoveryContentDamaged(ILogger logger, string journalPath, string path, string tempPath);

    [LoggerMessage(EventId = 36, Level = LogLevel.Warning,
        Message = "Completing the transaction of {JournalPath}: the staged content of {Path} ({TempPath}) could not be read to check its hash, and is published unchecked")]
    internal static partial void RecoveryContentUnchecked(ILogger logger, Exception exception, string journalPath, string path, string tempPath);

    [LoggerMessage(EventId = 40, Level = LogLevel.Debug,
        Message = "Replaced {Path} by the classic rename: the volume refused the POSIX-semantics rename (Windows error {Error}), so a reader holding the old file makes this replace wait")]
    internal static partial void RenameFellBack(ILogger logger, string path, int error);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug,
        Message = "Could not give the temp of {Path} the owner of the file it replaces (Windows error {Error}); it keeps the writer as owner, and the replaced file's access list")]
    internal static partial void WindowsOwnerNotPreserved(ILogger logger, string path, int error);
}
