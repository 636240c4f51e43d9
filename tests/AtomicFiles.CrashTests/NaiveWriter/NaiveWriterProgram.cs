using AtomicFiles.Tool.Torture;

namespace AtomicFiles.CrashTests.NaiveWriter;

/// <summary>
/// This test assembly doubles as the naive control's writer process: `dotnet AtomicFiles.CrashTests.dll --dir ...`
/// runs the torture writer loop with <see cref="NaiveCommitter"/>, `... --power-loss-workload ...` runs a power-loss
/// scenario's workload (WorkloadChild in tests/AtomicFiles.PowerLoss), and `... --ten-writers-worker ...` one of the
/// ten writer processes of <see cref="PowerLoss.Scenarios.TenWritersScenario"/>. The test runner never calls this entry point
/// (it loads the assembly into its own host), so the control lives only here, never in the shipped tool.
/// </summary>
internal static class NaiveWriterProgram
{
    /// <summary>How the harness starts the naive writer: this assembly, under the same dotnet host as the tool.</summary>
    internal static TortureWriterLauncher Launcher =>
        new(ToolProcess.DotnetHost, [Path.Join(AppContext.BaseDirectory, "AtomicFiles.CrashTests.dll")]);

    internal static int Main(string[] args) => args switch
    {
        [AtomicFiles.PowerLoss.Recording.WorkloadChild.Verb, .. var rest] => AtomicFiles.PowerLoss.Recording.WorkloadChild.Run(rest),
        [PowerLoss.Scenarios.TenWritersScenario.WorkerVerb, .. var rest] => PowerLoss.Scenarios.TenWritersScenario.RunWorker(rest),
        _ => TortureWriter.Run(args, new NaiveCommitter()),
    };
}
