namespace Klaviyo;

/// <summary>What the trim and AOT analyzers tell a caller of an API that decodes into the caller's own types.</summary>
internal static class TrimMessages
{
    /// <summary>The message of <c>RequiresUnreferencedCode</c> and <c>RequiresDynamicCode</c> on reflection-based decoding.</summary>
    public const string UserTypes =
        "Decodes into your own type with reflection-based System.Text.Json. In a trimmed or Native AOT app, decode into "
        + "the generated models (ModelJson.Decode, Klaviyo.Models) or pass a source-generated JsonTypeInfo instead.";
}
