using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.PowerLoss.Recording;

/// <summary>
/// The child side: runs each scenario's workload in its own directory, in order, and turns each marker into a line on
/// standard output ("MARK s0/committed") answered by a line on standard input once the parent has recorded it.
/// The workload runs in its own process because it must behave like an application: the parent holds the mounts and
/// the log, and reads the log at each marker while the workload waits.
/// </summary>
public static class WorkloadChild
{
    public const string Verb = "--power-loss-workload";

    /// <summary>
    /// Arguments: ROOT, the background fsync interval in milliseconds (0: none), then TYPE VARIANT pairs
    /// (assembly-qualified scenario type names).
    /// </summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var root = args[0];
        var interval = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        using (var neighbour = new BackgroundFsyncs(Path.Join(root, "neighbour"), TimeSpan.FromMilliseconds(interval)))
        {
            for (var i = 0; 2 + (2 * i) < args.Count; i++)
            {
                var type = Type.GetType(args[2 + (2 * i)], throwOnError: true)!;
                var scenario = (PowerLossScenario)Activator.CreateInstance(type, args[3 + (2 * i)])!;
                scenario.Workload(Path.Join(root, ScenarioDirectory(i)), new Markers(ScenarioDirectory(i), neighbour));
            }
        }

        Console.Out.WriteLine("DONE");
        Console.Out.Flush();
        return 0;
    }

    /// <summary>Scenario i's directory under the mount, also the prefix of its markers.</summary>
    public static string ScenarioDirectory(int index) => $"s{index}";

    private sealed class Markers(string prefix, BackgroundFsyncs neighbour) : IWorkloadMarkers
    {
        public BackgroundFsyncs Neighbour => neighbour;

        public void Mark(string name)
        {
            using var paused = neighbour.Pause();
            Console.Out.WriteLine($"MARK {prefix}/{name}");
            Console.Out.Flush();
            if (Console.In.ReadLine() is null)
            {
                throw new InvalidOperationException("The harness closed the marker channel.");
            }
        }
    }
}
