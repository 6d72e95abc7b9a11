/**
 * Defines a custom element unless the tag is taken. A host page that loads the widget twice (two
 * script tags, two bundles) gets a console warning instead of a "has already been used" crash.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) {
    customElements.define(tag, ctor);
    return;
  }
  if (existing !== ctor) {
    console.warn(
      `Earshot: <${tag}> is already defined (was the widget loaded twice?); keeping the first definition.`,
    );
  }
}

/** Class decorator form of defineElement, in place of Lit's @customElement. */
export function element(tag: string) {
  return (ctor: CustomElementConstructor): void => {
    defineElement(tag, ctor);
  };
}
