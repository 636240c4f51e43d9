namespace AtomicFiles.PowerLoss.Recording;

/// <summary>
/// Another application on the same filesystem: appends to a file of its own and fsyncs it every few milliseconds,
/// beside the workload. On a journaling filesystem each such fsync commits the whole running transaction — including
/// the workload's renames that it has not flushed itself — so the log holds flushes at arbitrary points inside the
/// workload's protocol, as on a real machine. Without them a protocol that renames before it flushes the data would
/// look safe, because nothing else would ever commit the rename early.
/// </summary>
internal sealed class BackgroundFsyncs : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public BackgroundFsyncs(string directory, TimeSpan interval)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Join(directory, "neighbour.log");
        _thread = new Thread(() =>
        {
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            var line = new byte[64];
            while (!_stop.IsCancellationRequested)
            {
                file.Write(line);
                file.Flush(flushToDisk: true);
                _stop.Token.WaitHandle.WaitOne(interval);
            }
        }) { IsBackground = true, Name = "background fsyncs" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
