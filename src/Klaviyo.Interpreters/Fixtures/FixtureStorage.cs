using System.Security.Cryptography;

namespace Klaviyo;

/// <summary>
/// Where fixture files live on disk: written atomically (a temporary file moved over the old one), one writer at a
/// time across processes (a <c>.lock</c> file beside the fixture), and temporary files a crashed writer left behind
/// removed on the next open or save.
/// </summary>
internal static class FixtureStorage
{
    /// <summary>How long a save waits for another process's save to finish before giving up.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>The SHA-256 of the file's bytes, or <c>null</c> when it does not exist.</summary>
    /// <param name="path">The fixture's full path.</param>
    public static byte[]? Stamp(string path) =>
        File.Exists(path) ? SHA256.HashData(File.ReadAllBytes(path)) : null;

    /// <summary>The stamp of bytes already read.</summary>
    /// <param name="bytes">The file's bytes.</param>
    public static byte[] Stamp(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes);

    /// <summary>Runs <paramref name="write"/> holding the fixture's lock; waits for another holder up to <see cref="LockWait"/>.</summary>
    /// <param name="path">The fixture's full path.</param>
    /// <param name="write">What to do while holding it.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task WithLockAsync(
        string path,
        Action write,
        CancellationToken cancellationToken
    )
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var deadline = DateTime.UtcNow + LockWait;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            FileStream? held = null;
            try
            {
                held = new FileStream(
                    LockPath(path),
                    FileMode.OpenOrCreate,
                    FileAccess.ReadWrite,
                    FileShare.None,
                    bufferSize: 1,
                    FileOptions.None
                );
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(
                    Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks)
                );
                continue;
            }
            catch (IOException e)
            {
                throw new IOException(
                    $"fixture '{path}' is being saved by another process; waited {LockWait.TotalSeconds:0} s for it",
                    e
                );
            }
            using (held)
            {
                RemoveOrphansHoldingLock(path);
                write();
                return;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="path"/> through a temporary file in the same folder, then moves it over the old file in
    /// one step; if <paramref name="write"/> throws, the temporary file is deleted and the old file is left as it was.
    /// Call it while holding the lock.
    /// </summary>
    /// <param name="path">The fixture's full path.</param>
    /// <param name="write">Writes the whole content.</param>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
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
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Removes temporary files a crashed save left beside <paramref name="path"/>, when no save is running.</summary>
    /// <param name="path">The fixture's full path.</param>
    public static void RemoveOrphans(string path)
    {
        if (!Directory.Exists(Path.GetDirectoryName(path)))
            return;
        try
        {
            using var held = new FileStream(
                LockPath(path),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None,
                bufferSize: 1
            );
            RemoveOrphansHoldingLock(path);
        }
        catch (IOException)
        {
            // Someone is saving right now; their temporary file is not an orphan. The next open cleans up.
        }
        catch (UnauthorizedAccessException) { }
    }

    private static void RemoveOrphansHoldingLock(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        foreach (var orphan in Directory.GetFiles(folder, $".{Path.GetFileName(path)}.*.tmp"))
            TryDelete(orphan);
    }

    private static string LockPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.lock");

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
