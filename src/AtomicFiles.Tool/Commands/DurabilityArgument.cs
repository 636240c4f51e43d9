namespace AtomicFiles.Tool.Commands;

/// <summary>The `--durability full|fileonly|none` value every writing verb takes.</summary>
internal static class DurabilityArgument
{
    internal static Durability Parse(string value) => value.ToLowerInvariant() switch
    {
        "full" => Durability.Full,
        "fileonly" => Durability.FileOnly,
        "none" => Durability.None,
        _ => throw new UsageException($"unknown durability '{value}' (full, fileonly or none)"),
    };
}
