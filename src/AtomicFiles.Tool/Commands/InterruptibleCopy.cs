using System.Runtime.InteropServices;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// Copies a stream into an <see cref="AtomicFileWriter"/> and commits it; SIGINT, SIGTERM or SIGHUP before the commit
/// roll the writer back (the temp is removed, the target keeps its old content) and end the process with 128 + the
/// signal's number, as a shell expects of an interrupted command.
/// </summary>
/// <remarks>
/// The rollback runs on the signal's thread, not by cancelling the copy: the copy may be blocked for ever in a read of
/// a terminal or a stalled pipe. A lock keeps the two apart — the signal waits for the chunk being written, and the copy
/// never touches the writer again once it is rolled back (the process exits while holding the lock).
/// </remarks>
internal sealed class InterruptibleCopy
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private AtomicFileWriter? _writer;
    private bool _committed;

    private InterruptibleCopy(string path) => _path = path;

    /// <param name="input">What to write.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="open">Opens the writer.</param>
    /// <param name="unchangedIf">
    /// If given, compared with the input as it streams by: when they are equal the writer is rolled back and the file
    /// is left untouched.
    /// </param>
    internal static int Run(Stream input, string path, Func<AtomicFileWriter> open, ContentComparer? unchangedIf = null) =>
        new InterruptibleCopy(path).Copy(input, open, unchangedIf);

    private int Copy(Stream input, Func<AtomicFileWriter> open, ContentComparer? unchangedIf)
    {
        PosixSignalRegistration[] registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
        ];
        try
        {
            AtomicFileWriter writer;
            lock (_gate)
            {
                // Under the lock, so a signal during the open waits for the temp to exist and then removes it.
                writer = _writer = open();
            }

            using var owned = writer;

            var buffer = new byte[128 * 1024];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                lock (_gate)
                {
                    writer.Write(buffer, 0, read);
                }

                unchangedIf?.Compare(buffer.AsSpan(0, read));
            }

            var unchanged = unchangedIf?.EndedSame() == true;

            // Closed before the rename: Windows refuses to rename over a file someone holds open.
            unchangedIf?.Dispose();
            lock (_gate)
            {
                if (unchanged)
                {
                    // Rolled back: the file keeps its inode, mode and modification time.
                    writer.Dispose();
                }
                else
                {
                    writer.Commit();
                }

                _committed = true;
            }

            return CommandLine.Success;
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        lock (_gate)
        {
            if (_committed)
            {
                // Already published: finishing normally is the truthful outcome.
                context.Cancel = true;
                return;
            }

            _writer?.Dispose();
            var (name, number) = context.Signal switch
            {
                PosixSignal.SIGINT => ("SIGINT", 2),
                PosixSignal.SIGTERM => ("SIGTERM", 15),
                _ => ("SIGHUP", 1),
            };
            Console.Error.WriteLine($"{CommandLine.Name} write: interrupted by {name}; '{Path.GetFullPath(_path)}' is unchanged.");
            Environment.Exit(128 + number);
        }
    }
}
