using System.Text.Json;

namespace Klaviyo;

/// <summary>A decoded response body: nothing, parsed JSON, or raw text.</summary>
public abstract record ResponseBody
{
    private ResponseBody() { }

    /// <summary>No body.</summary>
    public static readonly ResponseBody None = new Empty();

    /// <summary>No body (an empty payload).</summary>
    public sealed record Empty : ResponseBody
    {
        /// <inheritdoc />
        public override string ToString() => "";
    }

    /// <summary>A JSON body (content-type matched <c>(/|+)json</c>).</summary>
    /// <param name="Value">The parsed root element.</param>
    public sealed record Json(JsonElement Value) : ResponseBody
    {
        /// <inheritdoc />
        public override string ToString() => Value.GetRawText();
    }

    /// <summary>A body that is not JSON, as text.</summary>
    /// <param name="Value">The text.</param>
    public sealed record Text(string Value) : ResponseBody
    {
        /// <inheritdoc />
        public override string ToString() => Value;
    }

    /// <summary>The JSON root when the body is JSON, else <c>null</c>.</summary>
    public JsonElement? AsJson => this is Json j ? j.Value : null;
}
