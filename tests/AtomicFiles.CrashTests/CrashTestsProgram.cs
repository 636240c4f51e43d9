using AtomicFiles.CrashTests.NaiveWriter;
using AtomicFiles.CrashTests.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.Recording;
using AtomicFiles.Tool.Torture;
using Xunit.Runner.InProc.SystemConsole;

namespace AtomicFiles.CrashTests;

/// <summary>
/// This test executable's entry point. With a child verb it is one of the processes the tests start: the torture
/// harness's naive control writer, a power-loss scenario's workload (<see cref="WorkloadChild"/>) or one of the ten writer
/// processes of <see cref="TenWritersScenario"/>. Without one it is xunit's test runner, as the generated entry point
/// of a v3 test project would be.
/// </summary>
internal static class CrashTestsProgram
{
    /// <summary>This assembly, for the tests that start it as a child process.</summary>
    internal static string Dll => Path.Join(AppContext.BaseDirectory, "AtomicFiles.CrashTests.dll");

    internal static int Main(string[] args) => args switch
    {
        [NaiveWriterLauncher.Verb, .. var rest] => TortureWriter.Run(rest, new NaiveCommitter()),
        [WorkloadChild.Verb, .. var rest] => WorkloadChild.Run(rest),
        [TenWritersScenario.WorkerVerb, .. var rest] => TenWritersScenario.RunWorker(rest),
        _ => ConsoleRunner.Run(args).GetAwaiter().GetResult(),
    };
}
