import '../styles/jobs.css';
import { useEffect, useState } from 'react';
import { accountApi } from '../client/account.js';
import { ModelList } from '../components/jobs/ModelList.js';

/**
 * Settings → Models: what each AI model makes possible, and for admins the downloads from the Hugging Face hub
 * (nothing is downloaded but on an admin's word here, or SHOEBOX_MODELS_INSTALL).
 */
export function ModelsPage() {
  const [admin, setAdmin] = useState<boolean | null>(null);
  useEffect(() => {
    document.title = 'Models · Shoebox';
    accountApi.me().then(
      (me) => setAdmin(me.role === 'admin'),
      () => setAdmin(false),
    );
  }, []);
  return (
    <main className="page page-narrow models-page">
      <div className="page-head">
        <div>
          <h1>Models</h1>
          <p className="page-head-sub muted">
            Search by meaning, tags and descriptions need a CLIP model; faces and text recognition ship with Shoebox.
            {admin === false ? ' An admin installs models.' : ' A model is downloaded only when you ask for it here.'}
          </p>
        </div>
      </div>
      {admin === null ? null : <ModelList manage={admin} />}
    </main>
  );
}
