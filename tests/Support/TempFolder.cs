namespace Klaviyo.Tests;

/// <summary>A fresh temporary folder (for fixture files, key files…), deleted when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root);

    /// <summary>The folder's full path.</summary>
    public string Root { get; } =
        Path.Combine(Path.GetTempPath(), "klaviyo-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The full path of a file in the folder.</summary>
    public string File(string name = "fixture.json") => Path.Combine(Root, name);

    /// <summary>The names of the files and folders in it.</summary>
    public string[] Entries() =>
        Directory.GetFileSystemEntries(Root).Select(Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
    }
}
