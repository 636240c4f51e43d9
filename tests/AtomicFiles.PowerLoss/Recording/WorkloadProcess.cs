using System.Diagnostics;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.PowerLoss.Recording;

/// <summary>The parent side of <see cref="WorkloadChild"/>: starts it, records a marker at each request, waits for it.</summary>
public static class WorkloadProcess
{
    /// <summary>
    /// Runs the scenarios' workloads under <paramref name="root"/>. At each marker, <paramref name="position"/> gives
    /// the log position to record (the number of complete entries), read while the child is blocked.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Run(
        WorkloadLauncher launcher, string root, IReadOnlyList<PowerLossScenario> scenarios, TimeSpan backgroundFsyncInterval, Func<int> position)
    {
        var start = new ProcessStartInfo(launcher.Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in launcher.Arguments.Append(WorkloadChild.Verb).Append(root)
                     .Append(((int)backgroundFsyncInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture))
                     .Concat(scenarios.SelectMany(s => new[] { s.GetType().AssemblyQualifiedName!, s.Variant })))
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var markers = new Dictionary<string, int>(StringComparer.Ordinal);
        var done = false;
        try
        {
            while (child.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("MARK ", StringComparison.Ordinal))
                {
                    markers[line[5..]] = position();
                    child.StandardInput.WriteLine("ok");
                    child.StandardInput.Flush();
                }
                else if (line == "DONE")
                {
                    done = true;
                }
            }

            if (!child.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                throw new TimeoutException("The power-loss workload did not finish in 5 minutes.");
            }
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }
        }

        if (!done || child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The power-loss workload failed (exit code {child.ExitCode}):\n{stderr.Result}");
        }

        return markers;
    }
}
