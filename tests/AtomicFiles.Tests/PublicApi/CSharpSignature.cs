using System.Reflection;

namespace AtomicFiles.Tests.PublicApi;

/// <summary>A member as a C# user writes it: <c>Create(string path, AtomicFileOptions? options = null) → AtomicFileWriter</c>.</summary>
internal static class CSharpSignature
{
    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(char)] = "char", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
    };

    private static readonly NullabilityInfoContext s_nullability = new();

    internal static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct"
        : type.IsAbstract && type.IsSealed ? "static class" : type.IsSubclassOf(typeof(Exception)) ? "exception" : "class";

    internal static string Of(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"{c.DeclaringType!.Name}({Parameters(c)})",
        MethodInfo m => $"{Static(m.IsStatic)}{m.Name}{TypeArguments(m)}({Parameters(m)}) → {Name(m.ReturnType, s_nullability.Create(m.ReturnParameter))}",
        PropertyInfo p => $"{Static(p.GetMethod?.IsStatic == true)}{p.Name} : {Name(p.PropertyType, s_nullability.Create(p))}{Accessors(p)}",
        FieldInfo { DeclaringType.IsEnum: true } f => $"{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}",
        FieldInfo f => $"{Static(f.IsStatic)}{f.Name} : {Name(f.FieldType, s_nullability.Create(f))}",
        _ => member.Name,
    };

    private static string Static(bool isStatic) => isStatic ? "static " : "";

    private static string TypeArguments(MethodInfo method) =>
        method.IsGenericMethod ? "<" + string.Join(", ", method.GetGenericArguments().Select(t => t.Name)) + ">" : "";

    private static string Accessors(PropertyInfo property) =>
        property.SetMethod is { IsPublic: true } setter
            ? setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)) ? " { get; init; }" : " { get; set; }"
            : " { get; }";

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(p =>
        $"{Name(p.ParameterType, s_nullability.Create(p))} {p.Name}{(p.HasDefaultValue ? " = " + DefaultValue(p) : "")}"));

    private static string DefaultValue(ParameterInfo parameter) => parameter.DefaultValue switch
    {
        null => parameter.ParameterType.IsValueType && Nullable.GetUnderlyingType(parameter.ParameterType) is null ? "default" : "null",
        bool b => b ? "true" : "false",
        string s => $"\"{s}\"",
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static string Name(Type type, NullabilityInfo nullability)
    {
        var suffix = !type.IsValueType && nullability.ReadState == NullabilityState.Nullable ? "?" : "";
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, nullability) + "?";
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!, nullability.ElementType!) + "[]" + suffix;
        }

        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments().Zip(nullability.GenericTypeArguments, Name);
            return $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", arguments)}>{suffix}";
        }

        return (s_keywords.TryGetValue(type, out var keyword) ? keyword : type.Name) + suffix;
    }
}
