using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>Reads <c>--body FILE|-</c>: a JSON document from a file, or from standard input for <c>-</c>.</summary>
internal static class BodyInput
{
    /// <summary>
    /// The parsed document's root. A missing file or text that is not JSON is a <see cref="UsageException"/>.
    /// </summary>
    /// <param name="source">A file path, or <c>-</c> for standard input.</param>
    /// <param name="standardInput">Opens standard input.</param>
    public static JsonElement Read(string source, Func<Stream> standardInput)
    {
        var name = source == "-" ? "standard input" : $"'{source}'";
        byte[] bytes;
        try
        {
            if (source == "-")
            {
                using var input = standardInput();
                using var copy = new MemoryStream();
                input.CopyTo(copy);
                bytes = copy.ToArray();
            }
            else
                bytes = File.ReadAllBytes(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the --body from {name}: {e.Message}");
        }
        try
        {
            using var document = JsonDocument.Parse(
                bytes,
                new JsonDocumentOptions
                {
                    AllowTrailingCommas = false,
                    CommentHandling = JsonCommentHandling.Skip,
                }
            );
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"the --body from {name} is not valid JSON: {e.Message}");
        }
    }
}
