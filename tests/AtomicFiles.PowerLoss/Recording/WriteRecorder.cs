using System.Diagnostics;
using AtomicFiles.PowerLoss.Devices;
using AtomicFiles.PowerLoss.Interop;
using AtomicFiles.PowerLoss.Log;
using AtomicFiles.PowerLoss.Running;

namespace AtomicFiles.PowerLoss.Recording;

/// <summary>
/// Records every write and flush to a disk image in the dm-log-writes format, with no kernel module: QEMU's
/// blklogwrites block driver over the image, exported through FUSE as a file that a loop device (direct I/O, so its
/// page cache does not absorb the flushes) presents to the kernel as a disk.
/// </summary>
public sealed class WriteRecorder : IDisposable
{
    private readonly Process _daemon;
    private readonly string _pidFile;

    private WriteRecorder(Process daemon, string exportPath, string logPath, string pidFile)
    {
        _daemon = daemon;
        ExportPath = exportPath;
        LogPath = logPath;
        _pidFile = pidFile;
    }

    /// <summary>The FUSE-exported file: attach it to a loop device; everything written through it is logged.</summary>
    public string ExportPath { get; }

    /// <summary>The log's sector size (log-sector-size): also the granularity of the entries' sector numbers.</summary>
    public const int LogSectorSize = 512;

    /// <summary>The dm-log-writes log (readable while recording, for markers).</summary>
    public string LogPath { get; }

    /// <summary>How many complete entries the log holds now: the position a marker records.</summary>
    public int CountEntries() => WriteLog.CountEntries(LogPath, LogSectorSize);

    public static WriteRecorder Start(string diskImage, string logPath, string exportPath)
    {
        File.WriteAllBytes(logPath, []);
        File.WriteAllBytes(exportPath, []); // the FUSE export mounts over an existing regular file
        var start = new ProcessStartInfo("qemu-storage-daemon")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[]
                 {
                     "--blockdev", $"driver=file,node-name=disk,filename={diskImage}",
                     "--blockdev", $"driver=file,node-name=log,filename={logPath}",
                     "--blockdev", $"driver=blklogwrites,node-name=logged,file=disk,log=log,log-sector-size={LogSectorSize},log-append=off",
                     "--export", $"type=fuse,id=export,node-name=logged,mountpoint={exportPath},writable=on",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var daemon = Process.Start(start)!;
        var stderr = daemon.StandardError.ReadToEndAsync();
        var pidFile = exportPath + StaleSweep.DaemonPidSuffix;
        File.WriteAllText(pidFile, daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var recorder = new WriteRecorder(daemon, exportPath, logPath, pidFile);
        var deadline = Stopwatch.StartNew();
        while (!StaleSweep.MountsUnder(Path.GetDirectoryName(exportPath)!).Contains(exportPath))
        {
            if (daemon.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                recorder.Dispose();
                throw new InvalidOperationException($"qemu-storage-daemon did not export {exportPath}: {stderr.Result}");
            }

            Thread.Sleep(20);
        }

        return recorder;
    }

    /// <summary>SIGTERM: the daemon flushes the log and unmounts its export; a lazy unmount covers a daemon that hung.</summary>
    public void Dispose()
    {
        if (!_daemon.HasExited)
        {
            _ = Libc.Kill(_daemon.Id, Libc.SigTerm);
            if (!_daemon.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _daemon.Kill();
                _daemon.WaitForExit();
            }
        }

        Mount.Unmount(ExportPath);
        _daemon.Dispose();
        File.Delete(_pidFile);
    }
}
