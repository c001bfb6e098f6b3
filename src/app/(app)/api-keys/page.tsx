import { ApiKeysPage } from '~/components/api-keys/api-keys-page';

export const metadata = { title: 'API keys · Linernotes' };

export default function ApiKeys() {
  return <ApiKeysPage />;
}
