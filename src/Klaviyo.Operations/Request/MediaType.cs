namespace Klaviyo;

/// <summary>Media types for uploaded files.</summary>
public static class MediaType
{
    /// <summary>
    /// The media type for a file name's extension: <c>image/jpeg</c>, <c>image/png</c>, <c>image/gif</c>,
    /// <c>image/webp</c>, <c>image/svg+xml</c>; <c>application/octet-stream</c> for anything else.
    /// </summary>
    /// <param name="fileName">The file name, e.g. <c>logo.png</c>.</param>
    public static string FromFileName(string? fileName) =>
        Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" or ".jpe" => "image/jpeg",
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
}
