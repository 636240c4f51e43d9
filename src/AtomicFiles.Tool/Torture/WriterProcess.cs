using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AtomicFiles.Tool.Torture;

/// <summary>One running writer child: started, read line by line, and killed without warning.</summary>
internal sealed class WriterProcess : IDisposable
{
    private const int MaxErrorChars = 2000;

    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly Action<WriterProcess, WriterMessage> _onMessage;
    private bool _disposed;

    private WriterProcess(int slot, Process process, Action<WriterProcess, WriterMessage> onMessage)
    {
        Slot = slot;
        _process = process;
        _onMessage = onMessage;
    }

    internal int Slot { get; }

    /// <summary>When (<see cref="Environment.TickCount64"/>) to kill it; <see cref="long.MaxValue"/> until it is ready.</summary>
    internal long KillAt { get; set; } = long.MaxValue;

    internal bool HasExited => _process.HasExited;

    /// <summary>Starts writer <paramref name="slot"/>. <paramref name="onMessage"/> runs on a reader thread for each line.</summary>
    internal static WriterProcess Start(TortureSettings settings, int slot, TortureWriterRole role, Action<WriterProcess, WriterMessage> onMessage)
    {
        var start = new ProcessStartInfo(settings.Launcher.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in settings.Launcher.Arguments)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--dir");
        start.ArgumentList.Add(settings.Directory);
        start.ArgumentList.Add("--slot");
        start.ArgumentList.Add(slot.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--size");
        start.ArgumentList.Add(settings.FileSize.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--role");
        start.ArgumentList.Add(role.ToString());

        var process = new Process { StartInfo = start };
        var writer = new WriterProcess(slot, process, onMessage);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && WriterMessage.Parse(line) is { } message)
            {
                writer._onMessage(writer, message);
            }
        };
        process.ErrorDataReceived += (_, e) => writer.AppendError(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Standard input stays open and unused: the child exits when it closes, i.e. when this process dies.
        return writer;
    }

    /// <summary>SIGKILL, then waits until the process is gone and every line it printed has been handled.</summary>
    internal void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited; the wait below collects it.
        }

        _process.WaitForExit();
    }

    /// <summary>How it ended, for a writer that exited on its own: a failure, since writers only stop when killed.</summary>
    internal string DescribeExit()
    {
        _process.WaitForExit();
        lock (_errors)
        {
            return $"writer {Slot} exited by itself with code {_process.ExitCode}: {_errors.ToString().Trim()}";
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void AppendError(string? line)
    {
        lock (_errors)
        {
            if (line is not null && _errors.Length < MaxErrorChars)
            {
                _errors.AppendLine(line);
            }
        }
    }
}
