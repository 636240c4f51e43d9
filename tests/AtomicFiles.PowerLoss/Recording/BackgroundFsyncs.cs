namespace AtomicFiles.PowerLoss.Recording;

/// <summary>
/// Another application on the same filesystem: appends to a file of its own and fsyncs it every few milliseconds,
/// beside the workload. On a journaling filesystem each such fsync commits the whole running transaction — including
/// the workload's renames that it has not flushed itself — so the log holds flushes at arbitrary points inside the
/// workload's protocol, as on a real machine. Without them a protocol that renames before it flushes the data would
/// look safe, because nothing else would ever commit the rename early.
/// </summary>
public sealed class BackgroundFsyncs : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly Thread _thread;

    public BackgroundFsyncs(string directory, TimeSpan interval)
    {
        Directory.CreateDirectory(directory);
        _file = new FileStream(Path.Join(directory, "neighbour.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                CommitNow();
                _stop.Token.WaitHandle.WaitOne(interval);
            }
        }) { IsBackground = true, Name = "background fsyncs" };
        if (interval > TimeSpan.Zero)
        {
            _thread.Start();
        }
    }

    /// <summary>
    /// One append + fsync by the neighbour, now: on ext4 and xfs it commits the journal with everything pending in it.
    /// A scenario can call it at chosen instants of a protocol (e.g. from a step hook), beside the periodic ones.
    /// </summary>
    public void CommitNow()
    {
        lock (_gate)
        {
            _file.Write(new byte[64]);
            _file.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// Holds the neighbour still while a marker is taken, so no flush of its own lands between the workload's promise
    /// and the log position recorded for it.
    /// </summary>
    public Lock.Scope Pause() => _gate.EnterScope();

    public void Dispose()
    {
        _stop.Cancel();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _stop.Dispose();
        _file.Dispose();
    }
}
