using System.Diagnostics;
using AtomicFiles.FaultInjection;
using AtomicFiles.Logging;
using AtomicFiles.Platform;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;
using static AtomicFiles.Platform.Interop.Windows.Interop;

namespace AtomicFiles.Commit;

/// <summary>
/// A temp file beside its target, holding the next content until it is published by rename. Until then the target
/// is untouched; disposing an unpublished staged file removes the temp.
/// </summary>
internal sealed class StagedFile : IDisposable
{
    private const int MaxNameAttempts = 100;

    private readonly FileSystemPlatform _platform = FileSystemPlatform.Current;
    private readonly AtomicFileOptions _options;
    private bool _published;
    private bool _disposed;

    private StagedFile(ResolvedTarget target, string tempName, SafeFileHandle handle, AtomicFileOptions options)
    {
        Target = target;
        TempName = tempName;
        Handle = handle;
        _options = options;
    }

    internal ResolvedTarget Target { get; }

    /// <summary>The temp's name in the target's directory.</summary>
    internal string TempName { get; }

    internal string TempPath => Target.Directory.Join(TempName);

    internal SafeFileHandle Handle { get; }

    /// <summary>Creates the temp for <paramref name="target"/>, with the permissions and owner the published file will have.</summary>
    /// <param name="target">The file the temp will be published as. The staged file owns it from here on, also if this throws.</param>
    /// <param name="options">How to write.</param>
    /// <param name="announce">
    /// Called with each temp path before it is created, so a transaction journal can record it first: after a crash
    /// at any instant, recovery then knows every temp that may exist.
    /// </param>
    internal static StagedFile Create(ResolvedTarget target, AtomicFileOptions options, Action<string>? announce = null)
    {
        var platform = FileSystemPlatform.Current;
        try
        {
            for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
            {
                var tempName = TempFileName.For(target.FileName);
                announce?.Invoke(target.Directory.Join(tempName));
                if (platform.TryCreateTemp(target.Directory, tempName, target.FileName, target.Existing, options) is { } handle)
                {
                    return new StagedFile(target, tempName, handle, options);
                }
            }
        }
        catch
        {
            target.Dispose();
            throw;
        }

        target.Dispose();
        throw new IOException($"Could not create a temp file for '{target.FullPath}': {MaxNameAttempts} random names were all taken.");
    }

    /// <summary>Forces the temp's data to stable storage, as the durability option asks.</summary>
    internal void FlushToDisk()
    {
        if (_options.FlushesFiles)
        {
            _platform.FlushFile(Handle, TempPath);
        }
    }

    /// <summary>
    /// Renames the temp onto the target: replacing it, or — when <paramref name="overwrite"/> is false — only if
    /// nothing is there, race-free against other processes.
    /// </summary>
    /// <exception cref="IOException">Not overwriting, and a file already exists at the target.</exception>
    internal void Publish(bool overwrite)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // The temp stays held through its rename (Unix: its liveness lock, which readers never meet; Windows: the rename
        // goes through this handle), so a concurrent Recover never takes a temp about to be published for an orphan.
        try
        {
            if (overwrite)
            {
                _platform.Replace(Target.Directory, TempName, Target.FileName, _options, Handle);
            }
            else if (!_platform.TryPublishNew(Target.Directory, TempName, Target.FileName, _options, Handle))
            {
                throw AlreadyExists(Target.FullPath);
            }
        }
        catch (DurabilityNotConfirmedException)
        {
            // Published, only not confirmed durable (Windows flushes the rename itself): the temp is gone, not to be removed.
            _published = true;
            throw;
        }

        _published = true;
    }

    /// <summary>
    /// The whole single-file commit: flush the temp, rename it over the target, flush the directory.
    /// Only the last step can fail after the target changed; that failure is a <see cref="DurabilityNotConfirmedException"/>.
    /// </summary>
    internal void Commit(bool overwrite, long bytes, CancellationToken cancellationToken)
    {
        var commit = CommitCore(overwrite, bytes, directoryFlushAsync: false, cancellationToken);
        Debug.Assert(commit.IsCompleted, "A commit that never awaits completes synchronously.");
        commit.GetAwaiter().GetResult();
    }

    /// <summary>
    /// <see cref="Commit"/>, awaiting rather than blocking while another commit's directory flush covers this one.
    /// Called on a thread-pool thread: the file flush and the rename block it, as they would any thread.
    /// </summary>
    internal ValueTask CommitAsync(bool overwrite, long bytes, CancellationToken cancellationToken) =>
        CommitCore(overwrite, bytes, directoryFlushAsync: true, cancellationToken);

    private async ValueTask CommitCore(bool overwrite, long bytes, bool directoryFlushAsync, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var renameBeforeFlush = _options.Injects(InjectedDefect.RenameBeforeFileFlush);
        if (!renameBeforeFlush)
        {
            FlushToDisk();
        }

        var flushed = Stopwatch.GetTimestamp();

        // The last moment a cancellation can still leave the target untouched.
        cancellationToken.ThrowIfCancellationRequested();

        // Held until after the directory flush, so that freeing the replaced file is not part of the journal commit that flush waits for.
        using var replaced = ReplacedFileHolder.For(files: 1, bytes);
        if (overwrite && Target.Existing is { Kind: FileKind.RegularFile })
        {
            replaced?.Hold(Target.Directory, Target.FileName);
        }

        Publish(overwrite);
        if (renameBeforeFlush)
        {
            _options.Faults?.BetweenRenameAndFileFlush?.Invoke();
            FlushToDisk();
        }

        var renamed = Stopwatch.GetTimestamp();
        Handle.Dispose();
        try
        {
            if (_options.FlushesDirectories)
            {
                // Shared with the other commits into this directory that are under way (group commit).
                if (directoryFlushAsync)
                {
                    await DirectoryFlushGroup.FlushAsync(_platform, Target.Directory, _options).ConfigureAwait(false);
                }
                else
                {
                    DirectoryFlushGroup.Flush(_platform, Target.Directory, _options);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.DirectoryFlushFailed(_options.ResolvedLogger, e, Target.FullPath);

            throw new DurabilityNotConfirmedException(Target.FullPath, e);
        }

        var logger = _options.ResolvedLogger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var done = Stopwatch.GetTimestamp();
            var flushMs = Stopwatch.GetElapsedTime(start, flushed).TotalMilliseconds;
            var renameMs = Stopwatch.GetElapsedTime(flushed, renamed).TotalMilliseconds;
            var directoryFlushMs = Stopwatch.GetElapsedTime(renamed, done).TotalMilliseconds;
            Log.Committed(logger, Target.FullPath, bytes, flushMs, renameMs, directoryFlushMs);
        }
    }

    /// <summary>
    /// Closes the temp but leaves it in place: a transaction past its commit point whose apply failed needs its temps
    /// for recovery to complete it.
    /// </summary>
    internal void CloseForRecovery()
    {
        _disposed = true;
        Handle.Dispose();
        Target.Dispose();
    }

    /// <summary>Closes the temp and, unless it was published, removes it: the rollback.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Handle.Dispose();
        using var target = Target;
        if (_published)
        {
            return;
        }

        try
        {
            _platform.DeleteFile(Target.Directory, TempName);
            Log.RolledBack(_options.ResolvedLogger, Target.FullPath, TempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Rollback runs on error paths: never let it hide the original exception. Recover sweeps the leftover.
            Log.TempCleanupFailed(_options.ResolvedLogger, e, TempPath);
        }
    }

    /// <summary>The first write to the temp that threw, if any: from then on its content is unknown, and it must never be published.</summary>
    internal Exception? WriteFailure { get; private set; }

    /// <summary>Records that a write to the temp threw; the first failure is kept.</summary>
    internal void MarkWriteFailed(Exception failure) => WriteFailure ??= failure;

    internal static IOException AlreadyExists(string path) => new($"The file '{path}' already exists; CreateNew never replaces a file.")
    {
        // The HResult the BCL gives for FileMode.CreateNew on an existing file: EEXIST on Unix, ERROR_FILE_EXISTS on Windows.
        HResult = OperatingSystem.IsWindows() ? Errors.ToHResult(Errors.ERROR_FILE_EXISTS) : Errno.EEXIST,
    };
}
