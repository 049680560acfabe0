namespace Klaviyo;

/// <summary>Media types: what the library sends, how it recognises JSON and forms, and what an uploaded file is.</summary>
public static class MediaTypes
{
    /// <summary>The JSON:API media type Klaviyo's spec declares for request and response bodies.</summary>
    public const string JsonApi = "application/vnd.api+json";

    /// <summary>Form bodies.</summary>
    public const string Form = "application/x-www-form-urlencoded";

    /// <summary>Whether a content type is JSON: it matches <c>(/|+)json</c>, any case, parameters allowed.</summary>
    /// <param name="contentType">The content-type header value, or <c>null</c>.</param>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
            return false;
        var semicolon = contentType.IndexOf(';');
        var media = (semicolon >= 0 ? contentType.AsSpan(0, semicolon) : contentType).Trim();
        return media.EndsWith("/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="contentType"/> is <c>application/x-www-form-urlencoded</c>.</summary>
    /// <param name="contentType">The content type, or <c>null</c>.</param>
    public static bool IsForm(string? contentType) =>
        contentType is not null
        && contentType.TrimStart().StartsWith(Form, StringComparison.OrdinalIgnoreCase);

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
