using System.Reflection;

namespace Klaviyo.Tests;

/// <summary>
/// Finds generated operation methods by reflection. A write whose body has a generated model has two overloads: the
/// primary one taking <c>object body</c> (raw JSON, anything the codec writes) and a typed one taking the model; the
/// conventions are checked on the primary one.
/// </summary>
internal static class GeneratedMethods
{
    /// <summary>Whether <paramref name="method"/> is a typed-body overload (a parameter of a generated model type).</summary>
    public static bool IsTypedBodyOverload(MethodInfo method) =>
        method.GetParameters().Any(p => p.ParameterType.Namespace == "Klaviyo.Models");

    /// <summary>Whether <paramref name="method"/> returns an operation (untyped or typed).</summary>
    public static bool ReturnsOperation(MethodInfo method) =>
        !method.ReturnType.IsGenericParameter
        && typeof(RequestOperation).IsAssignableFrom(method.ReturnType);

    /// <summary>The primary overload of <paramref name="name"/> on <paramref name="type"/>, or null.</summary>
    public static MethodInfo? Primary(Type? type, string name) =>
        type
            ?.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .SingleOrDefault(m => m.Name == name && !IsTypedBodyOverload(m));
}
