namespace AtomicFiles.Tool.Torture;

/// <summary>
/// Reads a torture file back as a reader is told to, and judges it: on Unix as any .NET reader would; on Windows with
/// <see cref="AtomicFile.ReadAllBytes(string)"/>, the documented reader there (a reader that does not share delete and
/// write, as File.ReadAllBytes, can meet a sharing violation while a replace holds the new file to rename or flush it).
/// </summary>
internal static class TortureFileReader
{
    /// <summary>
    /// False if <paramref name="path"/> is absent. True with a null version if it is there but unreadable or not a
    /// complete version: a violation, recorded under <paramref name="subject"/>.
    /// </summary>
    internal static bool TryReadVersion(string path, string subject, List<TortureViolation> violations, out long? version)
    {
        version = null;
        byte[] bytes;
        try
        {
            bytes = OperatingSystem.IsWindows() ? AtomicFile.ReadAllBytes(path) : File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException e)
        {
            // A committed file must be readable: a lock left on it, say, would make readers fail.
            violations.Add(new(subject, $"unreadable: {e.Message}"));
            return true;
        }

        var decoded = TortureContent.Decode(bytes);
        if (decoded.IsValid)
        {
            version = decoded.Version;
        }
        else
        {
            violations.Add(new(subject, decoded.Problem!));
        }

        return true;
    }
}
