using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Klaviyo;

/// <summary>
/// Type-info modifiers for lenient reading. The snake_case policy alone maps <c>first_name</c> to <c>FirstName</c>
/// but no longer accepts <c>FirstName</c> or <c>firstName</c>; an extra, read-only alias under the member's own
/// name restores that.
/// </summary>
internal static class NameAliases
{
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public static void AcceptMemberNames(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
            return;
        var taken = new HashSet<string>(
            typeInfo.Properties.Select(p => p.Name),
            StringComparer.OrdinalIgnoreCase
        );
        var aliases = new List<JsonPropertyInfo>();
        foreach (var property in typeInfo.Properties)
        {
            if (
                property.Set is null
                || property.IsExtensionData
                || property.AttributeProvider is not MemberInfo member
                || member.IsDefined(typeof(JsonPropertyNameAttribute), inherit: true)
                || !taken.Add(member.Name)
            )
                continue;
            aliases.Add(Alias(typeInfo, property, member.Name));
        }
        foreach (var alias in aliases)
            typeInfo.Properties.Add(alias);
    }

    /// <summary>
    /// An alias reads the value as a <see cref="JsonElement"/> and decodes it into the member's type when setting.
    /// It must not share the member's type: System.Text.Json binds constructor parameters by name and type, and two
    /// members matching one parameter is an error.
    /// </summary>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    private static JsonPropertyInfo Alias(
        JsonTypeInfo typeInfo,
        JsonPropertyInfo property,
        string name
    )
    {
        var set = property.Set!;
        var type = property.PropertyType;
        var options = typeInfo.Options;
        var alias = typeInfo.CreateJsonPropertyInfo(typeof(JsonElement), name);
        alias.Set = (target, value) =>
        {
            object? decoded;
            try
            {
                decoded = ((JsonElement)value!).Deserialize(type, options);
            }
            catch (JsonException e) when (e.Path is { Length: > 1 } inner)
            {
                // The inner path is relative to this value; the serializer adds the path up to here.
                throw new JsonException(
                    $"{e.Message.Split(" Path: ")[0]} (at {inner[1..]} within it)"
                );
            }
            set(target, decoded);
        };
        return alias;
    }

    /// <summary>A missing field is never an error: <c>required</c> members and constructor parameters become optional.</summary>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public static void NothingRequired(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var property in typeInfo.Properties)
            property.IsRequired = false;
    }
}
