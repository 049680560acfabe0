namespace Klaviyo;

/// <summary>Reads fixture files, and writes them atomically so a crash never leaves half a fixture.</summary>
internal static class FixtureFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through a temporary file in the same folder, then moves it over the old file in
    /// one step. If <paramref name="write"/> throws, the temporary file is deleted and the old file is left as it was.
    /// </summary>
    /// <param name="path">The fixture's path.</param>
    /// <param name="write">Writes the whole content.</param>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (
                var stream = new FileStream(
                    temp,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None,
                    bufferSize: 1 << 16
                )
            )
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
