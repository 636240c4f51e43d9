namespace AtomicFiles.PowerLoss.Recording;

/// <summary>
/// How to start the workload child: a program and its leading arguments (e.g. the dotnet host and a test assembly
/// whose Main hands "--power-loss-workload ..." to <see cref="WorkloadChild.Run"/>). The child must be able to load
/// the scenario types by name.
/// </summary>
public sealed record WorkloadLauncher(string Program, IReadOnlyList<string> Arguments);
