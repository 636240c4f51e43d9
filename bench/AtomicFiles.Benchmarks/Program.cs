using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AtomicFiles.Benchmarks -- --filter '*' --job short
// See docs/performance.md for what each benchmark measures and the targets.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
