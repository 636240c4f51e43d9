namespace AtomicFiles.TestTool;

/// <summary>The `--durability full|fileonly|none` value of the test verbs.</summary>
internal static class Durabilities
{
    internal static Durability Parse(string value) => value.ToLowerInvariant() switch
    {
        "full" => Durability.Full,
        "fileonly" => Durability.FileOnly,
        "none" => Durability.None,
        _ => throw new UsageException($"unknown durability '{value}' (full, fileonly or none)"),
    };
}
