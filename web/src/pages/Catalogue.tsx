import { useEffect, useRef, useState } from 'react';
import '../styles/create.css';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { catalogueUrl, listProducts, thumbnailUrl, updateProduct, type ProductEdit, type ProductInfo } from '../client/create.js';
import { isTerminal } from '../api.js';
import { Link } from '../lib/router.js';
import { errorText } from '../lib/errors.js';

/** `material: silver; stones: pearl` ⇄ { material: 'silver', stones: 'pearl' } */
const attributesText = (attributes: Record<string, string>) =>
  Object.entries(attributes)
    .map(([name, value]) => `${name}: ${value}`)
    .join('; ');
function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const part of text.split(';')) {
    const at = part.indexOf(':');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim().toLowerCase();
    const value = part.slice(at + 1).trim();
    if (name && value) attributes[name] = value;
  }
  return attributes;
}

/** The catalogue: each product with its fields, edited in place (saved on leaving a field), and the export. */
export function CataloguePage() {
  const [products, setProducts] = useState<ProductInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const latest = useRef<ProductInfo[] | null>(null);
  latest.current = products;

  const load = (signal?: AbortSignal) =>
    listProducts(signal).then(
      (answer) => setProducts(answer.items),
      (e: unknown) => !signal?.aborted && setError(errorText(e)),
    );

  useEffect(() => {
    document.title = 'Catalogue · Shoebox';
    const controller = new AbortController();
    void load(controller.signal);
    // fields are written by the pipeline after a product is added, and new shots' thumbnails made after they are
    // stored: look again while some are pending
    const timer = window.setInterval(() => {
      const waiting = (p: ProductInfo) =>
        p.fieldsStatus === 'pending' || p.fieldsStatus === 'running' || p.shots.some((shot) => !shot.hasThumbnail && !isTerminal(shot.state));
      if (latest.current?.some(waiting)) void load();
    }, 3000);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, []);

  const save = async (product: ProductInfo, edit: ProductEdit) => {
    setSaveError(null);
    try {
      const saved = await updateProduct(product.photoId, edit);
      setProducts((list) => list?.map((p) => (p.photoId === saved.photoId ? saved : p)) ?? null);
    } catch (e) {
      setSaveError(`${product.name ?? product.filename}: ${errorText(e)}`);
    }
  };

  if (error) return <ErrorPanel title="Cannot load the catalogue" message={error} onRetry={() => void load()} />;
  return (
    <main className="catalogue-page">
      <div className="page-head">
        <h1>Catalogue</h1>
        <div className="catalogue-export">
          <a className="button" href={catalogueUrl('csv')} download data-testid="export-csv">
            Export CSV
          </a>
          <a className="button button-ghost" href={catalogueUrl('json')} download data-testid="export-json">
            JSON
          </a>
        </div>
      </div>
      {saveError ? (
        <p className="banner banner-error" role="alert">
          {saveError}
        </p>
      ) : null}
      {products === null ? (
        <p className="muted" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> Loading…
        </p>
      ) : products.length === 0 ? (
        <section className="empty" data-testid="catalogue-empty">
          <h2>No products yet</h2>
          <p>
            Open a photo of a product and choose <strong>Product shots</strong> (or select several in the gallery): it joins the catalogue with its name,
            description, attributes, colour and quality grade.
          </p>
        </section>
      ) : (
        <div className="catalogue-table-wrap">
          <table className="catalogue-table" data-testid="catalogue-table">
            <thead>
              <tr>
                <th scope="col">Photo</th>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Description</th>
                <th scope="col">Attributes</th>
                <th scope="col">Colour</th>
                <th scope="col">Grade</th>
                <th scope="col">Shots</th>
              </tr>
            </thead>
            <tbody>
              {products.map((product) => (
                <tr key={product.photoId} data-testid="catalogue-row">
                  <td>
                    <Link to={`/photos/${product.photoId}`}>
                      <img src={thumbnailUrl(product.photoId)} alt={product.filename} className="catalogue-thumb" />
                    </Link>
                  </td>
                  <td>
                    <EditableText label="Name" value={product.name ?? ''} onSave={(name) => save(product, { name })} testId="product-name" />
                    {product.fieldsStatus === 'pending' || product.fieldsStatus === 'running' ? (
                      <span className="muted catalogue-note">writing fields…</span>
                    ) : null}
                  </td>
                  <td>{product.productType}</td>
                  <td>
                    <EditableText label="Description" value={product.description ?? ''} onSave={(description) => save(product, { description })} multiline />
                  </td>
                  <td>
                    <EditableText
                      label="Attributes"
                      value={attributesText(product.attributes)}
                      onSave={(text) => save(product, { attributes: parseAttributes(text) })}
                    />
                  </td>
                  <td>
                    <span className="catalogue-colour">
                      {product.mainColourHex ? <span className="catalogue-swatch" style={{ background: product.mainColourHex }} aria-hidden="true" /> : null}
                      <EditableText label="Colour" value={product.mainColour ?? ''} onSave={(mainColour) => save(product, { mainColour })} />
                    </span>
                  </td>
                  <td>
                    <select
                      aria-label="Quality grade"
                      value={product.qualityGrade ?? ''}
                      title={product.qualityReason ?? undefined}
                      onChange={(event) => void save(product, { qualityGrade: (event.target.value || null) as 'A' | 'B' | 'C' | null })}
                      data-testid="product-grade"
                    >
                      <option value="">–</option>
                      <option value="A">A</option>
                      <option value="B">B</option>
                      <option value="C">C</option>
                    </select>
                  </td>
                  <td>
                    <ProductShots product={product} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

/** A product's first shots (waiting ones marked), or the way to make some. */
function ProductShots({ product }: { product: ProductInfo }) {
  return product.shots.length > 0 ? (
    <span className="catalogue-shots">
      {product.shots.slice(0, 4).map((shot) => (
        <Link key={shot.photoId} to={`/photos/${shot.photoId}`} title={shot.shot}>
          {shot.hasThumbnail ? (
            <img src={thumbnailUrl(shot.photoId)} alt={`${shot.shot} shot`} className="catalogue-shot" />
          ) : (
            <span
              className="catalogue-shot catalogue-shot-waiting"
              role="img"
              aria-label={isTerminal(shot.state) ? `${shot.shot} shot: could not be prepared` : `${shot.shot} shot being prepared`}
              title={isTerminal(shot.state) ? 'This shot could not be prepared: open it to see why' : 'Being prepared'}
            />
          )}
        </Link>
      ))}
      {product.shots.length > 4 ? <span className="muted">+{product.shots.length - 4}</span> : null}
    </span>
  ) : (
    <Link to={`/create?products=${product.photoId}`}>Make shots</Link>
  );
}

/** A field shown as text to edit in place: saved when it loses focus or on Enter, unchanged on Escape. */
function EditableText({
  label,
  value,
  onSave,
  multiline,
  testId,
}: {
  label: string;
  value: string;
  onSave: (value: string) => Promise<void>;
  multiline?: boolean;
  testId?: string;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text !== value) void onSave(text);
  };
  const keys = (event: React.KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.key === 'Escape') setText(value);
    if (event.key === 'Enter' && !multiline) (event.target as HTMLInputElement).blur();
  };
  return multiline ? (
    <textarea
      className="catalogue-input"
      aria-label={label}
      value={text}
      rows={2}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={keys}
    />
  ) : (
    <input
      className="catalogue-input"
      aria-label={label}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={keys}
      data-testid={testId}
    />
  );
}
